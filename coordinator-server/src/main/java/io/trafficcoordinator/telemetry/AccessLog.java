package io.trafficcoordinator.telemetry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One structured line per request on the logger {@code access}: a readable message plus the same
 * facts as key-value pairs, which the JSON log format emits as fields. Logback's configuration
 * hands these lines to an asynchronous appender, so an event loop never waits on stdout.
 */
public final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("access");

  private final boolean enabled;

  public AccessLog(boolean enabled) {
    this.enabled = enabled;
  }

  public void record(ExchangeSummary s) {
    if (!enabled || !LOG.isInfoEnabled()) {
      return;
    }
    double millis = s.durationNanos() / 1_000_000.0;
    LoggingEventBuilder line = LOG.atInfo()
        .addKeyValue("method", s.method())
        .addKeyValue("path", s.path());
    // Absent facts (no route matched, no endpoint chosen) are left out rather than logged as null.
    addIfPresent(line, "route", s.route());
    addIfPresent(line, "service", s.service());
    addIfPresent(line, "endpoint", s.endpoint());
    if (s.tries() > 1) {
      line.addKeyValue("tries", s.tries());
    }
    line.addKeyValue("status", s.status());
    addIfPresent(line, "problem", s.problem());
    line.addKeyValue("requestBytes", s.requestBytes())
        .addKeyValue("responseBytes", s.responseBytes())
        .addKeyValue("durationMs", Math.round(millis * 1000) / 1000.0)
        .addKeyValue("requestId", s.requestId())
        .addKeyValue("client", s.clientAddress())
        .log("{} {} {}", s.method(), s.path(), s.status());
  }

  private static void addIfPresent(LoggingEventBuilder line, String key, String value) {
    if (value != null) {
      line.addKeyValue(key, value);
    }
  }
}
