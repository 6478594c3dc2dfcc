package io.trafficcoordinator.security;

import io.trafficcoordinator.config.SecurityConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
  private Consumer<List<JsonObject>> onChange = changed -> { };
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
   * From now on fetches on schedule; {@code onChange} gets the keys in force whenever they change
   * (new ones fetched, or the stale ones dropped), {@code onFetch} each fetch's success.
   */
  public void refreshEvery(Consumer<List<JsonObject>> onChange, Consumer<Boolean> onFetch) {
    this.onChange = onChange;
    this.onFetch = onFetch;
    scheduler.schedule(this::refresh, source.refresh().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void refresh() {
    Duration next = source.refresh();
    try {
      Fetched fetched = fetch();
      lastGood = clock.instant();
      onFetch.accept(true);
      if (!fetched.keys().equals(keys)) {
        keys = fetched.keys();
        LOG.info("signing keys from {} changed: {} key(s) now", source.url(), fetched.keys().size());
        onChange.accept(keys);
      }
      if (fetched.maxAge() != null && fetched.maxAge().compareTo(next) < 0) {
        next = fetched.maxAge().compareTo(SOONEST) < 0 ? SOONEST : fetched.maxAge();
      }
    } catch (IOException | RuntimeException e) {
      onFetch.accept(false);
      boolean stale = lastGood == null || Duration.between(lastGood, clock.instant()).compareTo(source.staleIfError()) > 0;
      if (stale && !keys.isEmpty()) {
        keys = List.of();
        LOG.error("the key set at {} could not be fetched for over {} s ({}); its keys are dropped and tokens signed"
            + " with them are refused until a fetch succeeds", source.url(), source.staleIfError().toSeconds(), e.getMessage());
        onChange.accept(keys);
      } else {
        LOG.warn("the key set at {} could not be fetched ({}); the last good keys stay in use", source.url(),
            e.getMessage());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (!scheduler.isShutdown()) {
      scheduler.schedule(this::refresh, next.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private Fetched fetch() throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(source.url()))
        .timeout(Duration.ofSeconds(5)).header("accept", "application/json").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("status " + response.statusCode());
    }
    if (response.body().length() > 1 << 20) {
      throw new IOException("the key set is over 1 MiB");
    }
    List<JsonObject> fetched = TokenVerifier.signingKeys(response.body(), source.url());
    Duration maxAge = response.headers().firstValue("cache-control").map(MAX_AGE::matcher).filter(Matcher::find)
        .map(m -> Duration.ofSeconds(Long.parseLong(m.group(1)))).orElse(null);
    return new Fetched(fetched, maxAge);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
