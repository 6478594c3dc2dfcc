package io.trafficcoordinator.config;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How the control API authenticates callers: JWT bearer tokens checked against configured keys.
 * At least one key is required: the control API does not start without one (a JWT library with no
 * keys may accept unsigned tokens).
 *
 * @param keys the verification keys, each with the one algorithm it accepts
 * @param jwksFile a JSON Web Key Set file with more public keys (RS256 and ES256), or null
 * @param jwksUrl a JSON Web Key Set fetched from an identity provider and refreshed, or null
 * @param issuer when set, tokens must carry this {@code iss}
 * @param audience when set, tokens must name it in {@code aud}
 * @param clockSkew tolerance for {@code exp} and {@code nbf} (default 30 s)
 * @param rolesClaim the claim holding the caller's roles, an array of strings (default {@code roles})
 */
public record SecurityConfig(
    List<JwtKey> keys, String jwksFile, JwksUrl jwksUrl, String issuer, String audience, Duration clockSkew,
    String rolesClaim) {

  /**
   * A JSON Web Key Set fetched from an identity provider and refreshed.
   *
   * @param url where it is served (http or https)
   * @param refresh how often it is fetched again (default 5 min); a shorter {@code Cache-Control:
   *     max-age} from the server wins, down to 30 s
   * @param staleIfError how long the last keys fetched stay in use while fetches fail (default 1 h);
   *     after that, tokens signed with them are refused until a fetch succeeds
   */
  public record JwksUrl(String url, Duration refresh, Duration staleIfError) {}

  /** Algorithms a key may be pinned to. */
  public static final Set<String> ALGORITHMS = Set.of("HS256", "RS256", "ES256");

  /**
   * One verification key.
   *
   * @param id the {@code kid} tokens name it by (optional with a single key)
   * @param algorithm the one algorithm tokens checked with it may use
   * @param secret an HS256 secret inline (at least 32 bytes; shown redacted everywhere)
   * @param secretFile a file holding the HS256 secret
   * @param publicKeyFile a PEM public key for RS256 or ES256
   */
  public record JwtKey(String id, String algorithm, String secret, String secretFile, String publicKeyFile) {}

  public SecurityConfig {
    keys = List.copyOf(keys);
  }

  static SecurityConfig bind(ConfigNode node) {
    if (!node.isPresent()) {
      node.problem("is required: the control API needs at least one key to check tokens with"
          + " (security.jwt.keys; see docs/SECURITY.md)");
      return null;
    }
    ConfigObject security = node.asObject();
    ConfigNode jwtNode = security.field("jwt");
    security.finish();
    if (!jwtNode.isPresent()) {
      jwtNode.problem("is required: the control API needs at least one key to check tokens with");
      return null;
    }
    ConfigObject jwt = jwtNode.asObject();
    List<JwtKey> keys = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ConfigNode keyNode : jwt.list("keys")) {
      JwtKey key = key(keyNode.asObject());
      if (key != null && key.id() != null && !ids.add(key.id())) {
        keyNode.problem("duplicate key id '" + key.id() + "'");
      } else if (key != null) {
        keys.add(key);
      }
    }
    String jwks = jwt.string("jwksFile", null);
    JwksUrl jwksUrl = jwksUrl(jwt);
    String issuer = jwt.string("issuer", null);
    String audience = jwt.string("audience", null);
    Duration skew = jwt.duration("clockSkew", Duration.ofSeconds(30), Duration.ZERO, Duration.ofMinutes(5));
    String rolesClaim = jwt.string("rolesClaim", "roles");
    boolean anyKeys = jwt.has("keys") && !jwt.list("keys").isEmpty();
    jwt.finish();
    if (!anyKeys && jwks == null && jwksUrl == null) {
      jwtNode.problem("needs at least one key (keys, a jwksFile or a jwksUrl): the control API does not start without one");
    }
    if (keys.size() > 1 && keys.stream().anyMatch(k -> k.id() == null)) {
      jwt.field("keys").problem("give every key an id (its kid) when there is more than one");
    }
    return new SecurityConfig(keys, jwks, jwksUrl, issuer, audience, skew, rolesClaim);
  }

  private static JwksUrl jwksUrl(ConfigObject jwt) {
    String url = jwt.string("jwksUrl", null);
    Duration refresh = jwt.duration("jwksRefresh", Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofDays(1));
    Duration stale = jwt.duration("jwksStaleIfError", Duration.ofHours(1), Duration.ZERO, Duration.ofDays(7));
    if (url == null) {
      if (jwt.has("jwksRefresh") || jwt.has("jwksStaleIfError")) {
        jwt.field(jwt.has("jwksRefresh") ? "jwksRefresh" : "jwksStaleIfError").problem("is only read with jwksUrl");
      }
      return null;
    }
    try {
      java.net.URI uri = new java.net.URI(url);
      boolean loopback = uri.getHost() != null && (uri.getHost().equals("127.0.0.1") || uri.getHost().equals("localhost")
          || uri.getHost().equals("[::1]"));
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && loopback) || uri.getHost() == null) {
        // Over plain http anyone on the path could hand the coordinator signing keys of their own.
        jwt.field("jwksUrl").problem("must be an https URL (http only to this machine), got '" + url + "'");
        return null;
      }
      if (!jwt.has("audience")) {
        // A provider signs tokens for every application it serves: without an audience, any of them would do.
        jwt.field("jwksUrl").problem("needs security.jwt.audience: an identity provider's tokens for other"
            + " applications would be accepted otherwise");
      }
    } catch (java.net.URISyntaxException e) {
      jwt.field("jwksUrl").problem("is not a URL: " + e.getMessage());
      return null;
    }
    return new JwksUrl(url, refresh, stale);
  }

  private static JwtKey key(ConfigObject o) {
    String id = o.string("id", null);
    String algorithm = o.requiredString("algorithm");
    String secret = o.string("secret", null);
    String secretFile = o.string("secretFile", null);
    String publicKeyFile = o.string("publicKeyFile", null);
    o.finish();
    if (algorithm == null) {
      return null;
    }
    if (!ALGORITHMS.contains(algorithm)) {
      o.field("algorithm").problem("must be one of HS256, RS256, ES256, got '" + algorithm + "'");
      return null;
    }
    if (algorithm.equals("HS256")) {
      if ((secret == null) == (secretFile == null)) {
        o.problem("an HS256 key needs exactly one of secret and secretFile");
        return null;
      }
      if (secret != null && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
        o.field("secret").problem("must be at least 32 bytes long (RFC 7518 §3.2)");
        return null;
      }
      if (publicKeyFile != null) {
        o.field("publicKeyFile").problem("is for RS256 and ES256 keys; an HS256 key has a secret");
        return null;
      }
    } else if (publicKeyFile == null || secret != null || secretFile != null) {
      o.problem("an " + algorithm + " key needs publicKeyFile (a PEM public key) and no secret");
      return null;
    }
    return new JwtKey(id, algorithm, secret, secretFile, publicKeyFile);
  }
}
