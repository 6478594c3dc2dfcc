package io.trafficcoordinator.ratelimit;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import java.time.Duration;

/**
 * A route's rate limit on the data plane: {@code requests} per {@code per}, in bursts of up to
 * {@code burst}, counted per key; a request over it gets 429 and never reaches an endpoint.
 *
 * @param requests how many requests a key may make per {@code per}
 * @param per the window of {@code requests} (so 100 per 1s, 6000 per 1m)
 * @param burst how many a key may make at once after being idle (default: {@code requests})
 * @param key what a caller is counted by
 * @param header the header whose value is the key, when {@code key} is {@link Key#HEADER}
 * @param cost tokens each request takes (default 1): a route whose requests are ten times as
 *     expensive can say so
 * @param maxKeys how many keys this instance keeps buckets for (default 100,000, about 15 MB)
 */
public record RateLimitConfig(int requests, Duration per, int burst, Key key, String header, int cost, int maxKeys) {

  /** What a caller is counted by. */
  public enum Key {
    /** The client's address (behind a trusted proxy: the address that proxy saw). */
    CLIENT,
    /** A request header's value, such as an API key; requests without it share one bucket. */
    HEADER,
    /** The subject of the verified token, on a route that requires one (checked after the token). */
    SUBJECT
  }

  public static final int DEFAULT_MAX_KEYS = 100_000;

  /** Nanoseconds between two tokens. */
  public long intervalNanos() {
    return Math.max(1, per.toNanos() / requests);
  }

  /** The limit a route's {@code rateLimit} describes, or null when it has none. */
  public static RateLimitConfig bind(ConfigNode node) {
    if (!node.isPresent()) {
      return null;
    }
    ConfigObject o = node.asObject();
    int requests = o.integer("requests", 1, 1, 1_000_000_000);
    if (!o.has("requests")) {
      o.field("requests").problem("is required");
    }
    Duration per = o.duration("per", Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ofHours(24));
    int burst = o.integer("burst", requests, 1, 1_000_000_000);
    String keyText = o.string("key", "client");
    Key key = switch (keyText) {
      case "client" -> Key.CLIENT;
      case "header" -> Key.HEADER;
      case "subject" -> Key.SUBJECT;
      default -> {
        o.field("key").problem("must be client, header or subject, got '" + keyText + "'");
        yield Key.CLIENT;
      }
    };
    String header = o.string("header", null);
    if (key == Key.HEADER && (header == null || !header.matches("[!#$%&'*+.^`|~0-9A-Za-z-]+"))) {
      o.field("header").problem(header == null ? "is required with key: header" : "must be a header name");
    } else if (key != Key.HEADER && header != null) {
      o.field("header").problem("is only read with key: header");
    }
    int cost = o.integer("cost", 1, 1, 1_000_000);
    if (cost > burst) {
      o.field("cost").problem("must not be more than burst (" + burst + "): such a request could never pass");
    }
    if ((double) per.toNanos() / requests * burst > Long.MAX_VALUE / 4.0) {
      o.field("burst").problem("is too large for this rate: a bucket could not hold that many tokens");
    }
    int maxKeys = o.integer("maxKeys", DEFAULT_MAX_KEYS, 1, 10_000_000);
    o.finish();
    return new RateLimitConfig(requests, per, burst, key, header == null ? null : header.toLowerCase(java.util.Locale.ROOT),
        cost, maxKeys);
  }
}
