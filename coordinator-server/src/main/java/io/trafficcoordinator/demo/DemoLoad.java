package io.trafficcoordinator.demo;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steady background traffic for the demo, so that metrics, strategies and the slow and flaky
 * endpoints have something to show: requests at a fixed rate (open loop: each request has a
 * scheduled send time and its latency is measured from that time, so queueing is not hidden),
 * rotating over the services and over the callers' zones (sent as {@code X-Client-Zone}), with a
 * one-line summary every 10 s, which counts the retries the coordinator made to hide failures.
 */
public final class DemoLoad {

  private static final Logger LOG = LoggerFactory.getLogger("load");
  private static final long SUMMARY_MILLIS = 10_000;

  private final Vertx vertx;
  private final HttpClient client;
  private final List<String> paths;
  private final double perNano;
  private final Recorder latency = new Recorder(3);
  private final AtomicLong errors = new AtomicLong();
  private final DoubleSupplier retriesSoFar;
  private double retriesReported;
  private long startNanos;
  private long scheduled;
  private long ticker = -1;
  private long reporter = -1;

  /** @param retriesSoFar the coordinator's count of retries since it started */
  public DemoLoad(Vertx vertx, String host, int port, List<String> paths, int requestsPerSecond, DoubleSupplier retriesSoFar) {
    this.vertx = vertx;
    this.retriesSoFar = retriesSoFar;
    this.paths = paths;
    this.perNano = requestsPerSecond / 1e9;
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port).setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(32).setMaxWaitQueueSize(-1))
        .build();
  }

  public void start() {
    startNanos = System.nanoTime();
    ticker = vertx.setPeriodic(1, tick -> sendDue());
    reporter = vertx.setPeriodic(SUMMARY_MILLIS, tick -> summarise());
  }

  public void stop() {
    vertx.cancelTimer(ticker);
    vertx.cancelTimer(reporter);
    client.close();
  }

  /** Sends every request whose scheduled time has come; timer lateness does not skew the rate. */
  private void sendDue() {
    long now = System.nanoTime();
    // Request k is due at start + k / rate: by now, requests 0 .. floor(elapsed * rate) are due.
    long due = (long) ((now - startNanos) * perNano) + 1;
    while (scheduled < due) {
      long sendAt = startNanos + (long) (scheduled / perNano);
      send(paths.get((int) (scheduled % paths.size())), DemoFleet.CALLER_ZONES.get((int) (scheduled / paths.size()
          % DemoFleet.CALLER_ZONES.size())), sendAt);
      scheduled++;
    }
  }

  private void send(String path, String zone, long scheduledAt) {
    client.request(HttpMethod.GET, path)
        .compose(request -> request.putHeader("X-Client-Zone", zone).send().compose(response -> response.body().map(body -> response.statusCode())))
        .onComplete(done -> {
          latency.recordValue(Math.max(0, System.nanoTime() - scheduledAt) / 1000);
          if (done.failed() || done.result() >= 500) {
            errors.incrementAndGet();
          }
        });
  }

  private void summarise() {
    Histogram interval = latency.getIntervalHistogram();
    long count = interval.getTotalCount();
    long failed = errors.getAndSet(0);
    double retries = retriesSoFar.getAsDouble();
    long retried = Math.round(retries - retriesReported);
    retriesReported = retries;
    LOG.info("load: {} req/s, {} errors ({}%) after {} retries, p50 {} ms, p99 {} ms, max {} ms",
        String.format("%.1f", count * 1000.0 / SUMMARY_MILLIS),
        failed,
        String.format("%.1f", count == 0 ? 0.0 : 100.0 * failed / count),
        retried,
        millis(interval.getValueAtPercentile(50)),
        millis(interval.getValueAtPercentile(99)),
        millis(interval.getMaxValue()));
  }

  private static String millis(long micros) {
    return String.format("%.1f", micros / 1000.0);
  }

}
