package io.trafficcoordinator.control;

import io.trafficcoordinator.versioning.ConfigRefused;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code limit} and an opaque {@code cursor} for lists. A cursor is the position after the last item
 * of a page, encoded so that clients do not build their own ({@code kind:number}, base64url).
 */
final class Paging {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private Paging() {}

  static int limit(RoutingContext ctx) {
    String text = ctx.request().getParam("limit");
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException ignored) {
      // Reported below.
    }
    throw new ConfigRefused(400, "invalid-request", "limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + text + "'");
  }

  /** The position a cursor of {@code kind} stands for, or null without a cursor. */
  static Long position(RoutingContext ctx, String kind) {
    String cursor = ctx.request().getParam("cursor");
    if (cursor == null) {
      return null;
    }
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (decoded.startsWith(kind + ":")) {
        return Long.parseLong(decoded.substring(kind.length() + 1));
      }
    } catch (IllegalArgumentException ignored) {
      // Reported below.
    }
    throw new ConfigRefused(400, "invalid-request", "the cursor is not one this list gave out");
  }

  static String cursor(String kind, long position) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + position).getBytes(StandardCharsets.UTF_8));
  }
}
