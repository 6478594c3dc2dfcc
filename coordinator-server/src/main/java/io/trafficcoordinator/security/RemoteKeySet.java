package io.trafficcoordinator.security;

import io.trafficcoordinator.config.SecurityConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys an identity provider serves at {@code security.jwt.jwksUrl}, fetched at start
 * and again every {@code jwksRefresh} (sooner when the server's {@code Cache-Control: max-age} says
 * so, but not more often than every 30 s). A failed fetch (the server down, an error status, a
 * document that is not a key set) keeps the last good keys, is logged and counted; once
 * {@code jwksStaleIfError} has passed since the last good fetch, those keys are dropped, so a
 * revoked key cannot outlive its provider's outage for ever, and tokens signed with them are
 * refused until a fetch succeeds. Fetches run on a thread of their own, never an event loop.
 */
public final class RemoteKeySet implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteKeySet.class);
  private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age\\s*=\\s*(\\d{1,9})");
  private static final Duration SOONEST = Duration.ofSeconds(30);
  private static final int MAX_BYTES = 1 << 20;

  /** What a fetch brought: the keys, and how long the server says they stay fresh (null: unsaid). */
  record Fetched(List<JsonObject> keys, Duration maxAge) {}

  private final SecurityConfig.JwksUrl source;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "jwks-refresh");
    thread.setDaemon(true);
    return thread;
  });
  private volatile List<JsonObject> keys = List.of();
  private volatile Instant lastGood;
  private Duration failureBackoff = Duration.ofSeconds(1);
  private Predicate<List<JsonObject>> onChange = changed -> true;
  private Consumer<Boolean> onFetch = ok -> { };

  public RemoteKeySet(SecurityConfig.JwksUrl source, Clock clock) {
    this.source = source;
    this.clock = clock;
  }

  /** The keys in force: the last good fetch's, or none. */
  public List<JsonObject> keys() {
    return keys;
  }

  /**
   * Fetches the keys now (blocking, at most about ten seconds); false when that failed. Called once
   * at start, before {@link #refreshEvery}.
   */
  public boolean fetchNow() {
    try {
      Fetched fetched = fetch();
      keys = fetched.keys();
      lastGood = clock.instant();
      onFetch.accept(true);
      LOG.info("{} signing key(s) fetched from {}", fetched.keys().size(), source.url());
      return true;
    } catch (IOException e) {
      onFetch.accept(false);
      LOG.error("the key set at {} could not be fetched: {}", source.url(), e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * From now on fetches on schedule; {@code onChange} gets the keys to put in force whenever they
   * change (new ones fetched, or the stale ones dropped) and says whether it could (a set it cannot
   * use is not taken, and is fetched again), {@code onFetch} each fetch's success. After a failed
   * fetch the next comes sooner: 1 s, then twice as long each time, up to {@code jwksRefresh}.
   */
  public void refreshEvery(Predicate<List<JsonObject>> onChange, Consumer<Boolean> onFetch) {
    this.onChange = onChange;
    this.onFetch = onFetch;
    schedule(lastGood == null ? retryDelay() : source.refresh());
  }

  private void schedule(Duration delay) {
    if (!scheduler.isShutdown()) {
      scheduler.schedule(this::refresh, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The wait before the next try after a failed fetch; doubles on each failure. */
  private Duration retryDelay() {
    Duration delay = failureBackoff;
    Duration doubled = failureBackoff.multipliedBy(2);
    failureBackoff = doubled.compareTo(source.refresh()) > 0 ? source.refresh() : doubled;
    return delay.compareTo(source.refresh()) > 0 ? source.refresh() : delay;
  }

  private void refresh() {
    Duration next = source.refresh();
    try {
      Fetched fetched = fetch();
      onFetch.accept(true);
      failureBackoff = Duration.ofSeconds(1);
      if (!fetched.keys().equals(keys)) {
        if (onChange.test(fetched.keys())) {
          keys = fetched.keys();
          LOG.info("signing keys from {} changed: {} key(s) now", source.url(), fetched.keys().size());
        } else {
          // Not taken: neither the keys nor the time of this fetch count, so it is tried again soon.
          schedule(retryDelay());
          return;
        }
      }
      lastGood = clock.instant();
      Duration soonest = SOONEST.compareTo(source.refresh()) < 0 ? SOONEST : source.refresh();
      if (fetched.maxAge() != null && fetched.maxAge().compareTo(next) < 0) {
        next = fetched.maxAge().compareTo(soonest) < 0 ? soonest : fetched.maxAge();
      }
    } catch (IOException | RuntimeException e) {
      onFetch.accept(false);
      boolean stale = lastGood == null || Duration.between(lastGood, clock.instant()).compareTo(source.staleIfError()) > 0;
      if (stale && !keys.isEmpty() && onChange.test(List.of())) {
        keys = List.of();
        LOG.error("the key set at {} could not be fetched for over {} s ({}); its keys are dropped and tokens signed"
            + " with them are refused until a fetch succeeds", source.url(), source.staleIfError().toSeconds(), e.getMessage());
      } else if (keys.isEmpty()) {
        LOG.warn("the key set at {} could not be fetched ({}); there are no keys from it yet", source.url(), e.getMessage());
      } else {
        LOG.warn("the key set at {} could not be fetched ({}); the last good keys stay in use", source.url(),
            e.getMessage());
      }
      next = retryDelay();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    schedule(next);
  }

  /** One fetch, bounded: 10 s in all (a body trickled a byte at a time included), 1 MiB of body. */
  private Fetched fetch() throws IOException, InterruptedException {
    HttpResponse<InputStream> response;
    try {
      response = http.sendAsync(HttpRequest.newBuilder(URI.create(source.url()))
          .timeout(Duration.ofSeconds(5)).header("accept", "application/json").GET().build(),
          HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause() == null ? e.getMessage() : e.getCause().toString(), e);
    } catch (TimeoutException e) {
      throw new IOException("no answer within 10 s", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try (InputStream body = response.body()) {
      // Closing the stream from the scheduler ends a read the provider stalls.
      var watchdog = scheduler.schedule(() -> close(body), 10, TimeUnit.SECONDS);
      try {
        if (response.statusCode() != 200) {
          throw new IOException("status " + response.statusCode());
        }
        byte[] bytes = body.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES || System.nanoTime() - deadline > 0) {
          throw new IOException(bytes.length > MAX_BYTES ? "the key set is over 1 MiB" : "the key set took over 10 s");
        }
        List<JsonObject> fetched = TokenVerifier.signingKeys(new String(bytes, StandardCharsets.UTF_8), source.url(), true);
        Duration maxAge = response.headers().firstValue("cache-control").map(MAX_AGE::matcher).filter(Matcher::find)
            .map(m -> Duration.ofSeconds(Long.parseLong(m.group(1)))).orElse(null);
        return new Fetched(fetched, maxAge);
      } finally {
        watchdog.cancel(false);
      }
    }
  }

  private static void close(InputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // closing to give up on it: nothing more to do
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
