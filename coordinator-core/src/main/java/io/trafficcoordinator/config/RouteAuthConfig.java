package io.trafficcoordinator.config;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A route that requires a valid JWT, checked by the proxy before anything reaches an endpoint:
 * with the keys and checks of {@code security.jwt} (the control API's), optionally its own issuer
 * and audience, and roles or scopes the token must carry.
 *
 * @param roles when not empty, the token's roles claim must name at least one of them
 * @param scopes when not empty, the token must carry every one of them ({@code scope}, a
 *     space-separated string, or {@code scp}, an array)
 * @param issuer the {@code iss} required; null: {@code security.jwt.issuer}
 * @param audience the {@code aud} required; null: {@code security.jwt.audience}
 * @param forwardToken whether the endpoint gets the client's {@code Authorization} header (default
 *     true); false strips it
 * @param subjectHeader the header that carries the verified subject to the endpoint (lower case)
 * @param rolesHeader the header that carries the verified roles, comma-separated (lower case)
 */
public record RouteAuthConfig(List<String> roles, List<String> scopes, String issuer, String audience,
    boolean forwardToken, String subjectHeader, String rolesHeader) {

  public static final String DEFAULT_SUBJECT_HEADER = "x-auth-subject";
  public static final String DEFAULT_ROLES_HEADER = "x-auth-roles";

  public RouteAuthConfig {
    roles = List.copyOf(roles);
    scopes = List.copyOf(scopes);
  }

  /** The route's {@code auth} section, or null when the route is open. */
  public static RouteAuthConfig bind(ConfigNode node) {
    if (!node.isPresent()) {
      return null;
    }
    ConfigObject o = node.asObject();
    List<String> roles = strings(o, "roles");
    List<String> scopes = strings(o, "scopes");
    String issuer = o.string("issuer", null);
    String audience = o.string("audience", null);
    boolean forwardToken = o.bool("forwardToken", true);
    String subjectHeader = headerName(o, "subjectHeader", DEFAULT_SUBJECT_HEADER);
    String rolesHeader = headerName(o, "rolesHeader", DEFAULT_ROLES_HEADER);
    if (subjectHeader.equals(rolesHeader)) {
      o.field("rolesHeader").problem("must differ from subjectHeader");
    }
    o.finish();
    return new RouteAuthConfig(roles, scopes, issuer, audience, forwardToken, subjectHeader, rolesHeader);
  }

  private static List<String> strings(ConfigObject o, String key) {
    List<String> values = new ArrayList<>();
    for (ConfigNode item : o.list(key)) {
      String text = item.asString(null);
      if (text != null && (text.isBlank() || text.contains(" "))) {
        item.problem("must be a name without spaces");
      } else if (text != null) {
        values.add(text);
      }
    }
    return values;
  }

  /** Headers the proxy or HTTP itself gives a meaning: an identity must not travel in them. */
  private static final java.util.Set<String> RESERVED = java.util.Set.of("authorization", "host", "content-length",
      "transfer-encoding", "connection", "upgrade", "te", "trailer", "expect", "cookie", "x-request-id",
      "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded");

  private static String headerName(ConfigObject o, String key, String fallback) {
    String name = o.string(key, fallback);
    if (!name.matches("[!#$%&'*+.^`|~0-9A-Za-z-]+")) {
      o.field(key).problem("must be a header name (a token, no '_')");
      return fallback;
    }
    if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
      o.field(key).problem("'" + name + "' already means something to HTTP or the proxy; name another header");
      return fallback;
    }
    return name.toLowerCase(Locale.ROOT);
  }
}
