package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.TEST_SECRET;
import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.trafficcoordinator.testing.Jwts;
import io.trafficcoordinator.testing.OneEndpointProxy;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.RawHttp;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routes that require a token: refusals (401 with a challenge, 403 for a missing role or scope)
 * never reach the endpoint; a verified request reaches it with the subject and roles in headers the
 * client cannot forge, and with or without its token as the route says.
 */
class RouteAuthTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final byte[] SECRET = TEST_SECRET.getBytes(StandardCharsets.UTF_8);

  private static OneEndpointProxy setup;
  private static TestBackend backend;
  private static ProxyFixture proxy;

  @BeforeAll
  static void start() throws Exception {
    setup = OneEndpointProxy.start(List.of(
        map("name", "readers", "pathPrefix", "/readers", "auth", map("roles", list("reader", "editor"))),
        map("name", "scoped", "pathPrefix", "/scoped",
            "auth", map("scopes", list("orders:read"), "forwardToken", false, "subjectHeader", "X-User")),
        map("name", "partner", "pathPrefix", "/partner", "auth", map("audience", "partner-api")),
        map("name", "metered", "pathPrefix", "/metered", "auth", map(),
            "rateLimit", map("requests", 2, "per", "1m", "key", "subject")),
        map("name", "open", "pathPrefix", "/")), map("proxy", map("accessLog", false)));
    backend = setup.backend();
    proxy = setup.proxy();
  }

  @AfterAll
  static void stop() throws Exception {
    setup.close();
  }

  private static String token(JsonObject claims) {
    return Jwts.hs256(Jwts.header("HS256"), claims, SECRET);
  }

  private static HttpResponse<String> get(String path, String authorization, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject seenHeaders(HttpResponse<String> echoed) {
    return new JsonObject(echoed.body()).getJsonObject("headers");
  }

  @Test
  void noTokenOrABadOneIs401WithAChallengeAndNeverForwarded() throws Exception {
    int seenBefore = backend.seen().size();
    HttpResponse<String> none = get("/readers/x", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("www-authenticate")).contains("Bearer realm=\"traffic-coordinator\"");
    assertThat(new JsonObject(none.body()).getString("type")).endsWith(":unauthenticated");

    String expired = token(Jwts.claims("alice", -600, "reader"));
    HttpResponse<String> bad = get("/readers/x", "Bearer " + expired);
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.headers().firstValue("www-authenticate")).get().asString().contains("error=\"invalid_token\"");
    HttpResponse<String> garbage = get("/readers/x", "Bearer abc.def.ghi");
    assertThat(garbage.statusCode()).isEqualTo(401);

    assertThat(backend.seen()).as("nothing reached the endpoint").hasSize(seenBefore);
    assertThat(counter("readers", "missing")).isEqualTo(1.0);
    assertThat(counter("readers", "invalid")).isEqualTo(2.0);
  }

  /** A refused request with a body is closed, and still carries its challenge. */
  @Test
  void aRefusedPostKeepsItsChallengeAndTwoTokensAreRefused() throws Exception {
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/readers"))
        .POST(HttpRequest.BodyPublishers.ofString("payload")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(401);
    assertThat(post.headers().firstValue("www-authenticate")).contains("Bearer realm=\"traffic-coordinator\"");

    String valid = "Bearer " + token(Jwts.claims("alice", 300, "reader"));
    int seenBefore = backend.seen().size();
    RawHttp.Response two = RawHttp.exchange(proxy.port(), "GET /readers HTTP/1.1\r\nHost: x\r\nAuthorization: " + valid
        + "\r\nAuthorization: Bearer forged\r\n\r\n");
    assertThat(two.status()).isEqualTo(401);
    assertThat(new JsonObject(two.body()).getString("detail")).contains("more than one Authorization header");
    assertThat(backend.seen()).hasSize(seenBefore);
  }

  @Test
  void aValidTokenWithoutTheRoleIs403() throws Exception {
    int seenBefore = backend.seen().size();
    HttpResponse<String> response = get("/readers/x", "Bearer " + token(Jwts.claims("bob", 300, "viewer")));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("www-authenticate")).get().asString().contains("error=\"insufficient_scope\"");
    assertThat(new JsonObject(response.body()).getString("detail")).contains("one of the roles reader, editor");
    assertThat(backend.seen()).hasSize(seenBefore);
  }

  @Test
  void aVerifiedRequestCarriesItsSubjectAndRolesAndTheClientCannotForgeThem() throws Exception {
    HttpResponse<String> response = get("/readers/x", "Bearer " + token(Jwts.claims("alice", 300, "editor", "viewer")),
        "X-Auth-Subject", "mallory", "X-Auth-Roles", "admin");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject headers = seenHeaders(response);
    assertThat(headers.getString("x-auth-subject")).isEqualTo("alice");
    assertThat(headers.getString("x-auth-roles")).isEqualTo("editor,viewer");
    assertThat(headers.getString("authorization")).as("forwarded by default").startsWith("Bearer ");
    assertThat(counter("readers", "verified")).isGreaterThanOrEqualTo(1.0);

    // On an open route the same forged headers are removed too, and so is another route's own
    // identity header (X-User, of /scoped): an endpoint can always trust them.
    JsonObject open = seenHeaders(get("/anything", null, "X-Auth-Subject", "mallory", "X-Auth-Roles", "admin",
        "X-User", "mallory"));
    assertThat(open.containsKey("x-auth-subject")).isFalse();
    assertThat(open.containsKey("x-auth-roles")).isFalse();
    assertThat(open.containsKey("x-user")).isFalse();
  }

  @Test
  void scopesAreAllRequiredAndTheTokenCanBeStripped() throws Exception {
    JsonObject withScope = Jwts.claims("carol", 300).put("scope", "orders:read orders:write");
    HttpResponse<String> allowed = get("/scoped", "Bearer " + token(withScope), "X-User", "mallory");
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(seenHeaders(allowed).getString("x-user")).isEqualTo("carol");
    assertThat(seenHeaders(allowed).containsKey("authorization")).as("forwardToken: false").isFalse();

    JsonObject otherScope = Jwts.claims("carol", 300).put("scp", new io.vertx.core.json.JsonArray().add("orders:write"));
    HttpResponse<String> refused = get("/scoped", "Bearer " + token(otherScope));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("www-authenticate")).get().asString().contains("scope=\"orders:read\"");
  }

  /** A rate limit per verified subject: each caller its own bucket, whatever header a client forges. */
  @Test
  void aRateLimitCanCountPerVerifiedSubject() throws Exception {
    String alice = "Bearer " + token(Jwts.claims("alice", 300));
    String bob = "Bearer " + token(Jwts.claims("bob", 300));
    assertThat(get("/metered", alice, "X-Auth-Subject", "someone-else").statusCode()).isEqualTo(200);
    assertThat(get("/metered", alice, "X-Auth-Subject", "yet-another").statusCode()).isEqualTo(200);
    assertThat(get("/metered", alice).statusCode()).isEqualTo(429);
    assertThat(get("/metered", bob).statusCode()).isEqualTo(200);
    assertThat(get("/metered", null).statusCode()).as("no token: refused before any bucket").isEqualTo(401);
  }

  @Test
  void aRouteCanRequireItsOwnAudience() throws Exception {
    assertThat(get("/partner", "Bearer " + token(Jwts.claims("dave", 300).put("aud", "partner-api"))).statusCode())
        .isEqualTo(200);
    HttpResponse<String> other = get("/partner", "Bearer " + token(Jwts.claims("dave", 300).put("aud", "someone-else")));
    assertThat(other.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(other.body()).getString("detail")).contains("not for this audience");
  }

  private static double counter(String route, String result) {
    Counter counter = proxy.coordinator().registry().find("coordinator_route_auth").tag("route", route)
        .tag("result", result).counter();
    return counter == null ? -1 : counter.count();
  }
}
