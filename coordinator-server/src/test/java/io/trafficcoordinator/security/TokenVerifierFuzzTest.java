package io.trafficcoordinator.security;

import static io.trafficcoordinator.config.ConfigTrees.TEST_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.config.SecurityConfig;
import io.trafficcoordinator.testing.Jwts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random headers and claims, signed with the right key or not, through the verifier: every
 * outcome is a caller or a 401/403 refusal, never an exception thrown to the HTTP layer or a
 * failure of another kind (which the control API would answer with 500).
 */
class TokenVerifierFuzzTest {

  private static final byte[] SECRET = TEST_SECRET.getBytes(StandardCharsets.UTF_8);
  private static final List<String> HEADER_NAMES = List.of("alg", "kid", "typ", "crit", "jku", "cty", "b64");
  private static final List<String> CLAIM_NAMES = List.of("exp", "nbf", "iat", "sub", "aud", "iss", "roles", "jti");

  private static Vertx vertx;
  private static TokenVerifier verifier;

  @BeforeContainer
  static void start() throws Exception {
    vertx = Vertx.vertx();
    verifier = TokenVerifier.create(vertx, new SecurityConfig(
        List.of(new SecurityConfig.JwtKey("hs", "HS256", TEST_SECRET, null, null)), null, null, null, null,
        Duration.ofSeconds(5), "roles"));
  }

  @AfterContainer
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Property(tries = 400)
  void everyTokenIsAcceptedOrRefusedNeverThrown(@ForAll("headers") JsonObject header,
      @ForAll("claims") JsonObject claims, @ForAll boolean signedWithTheKey) throws Exception {
    String token = signedWithTheKey ? Jwts.hs256(header, claims, SECRET)
        : Jwts.signingInput(header, claims) + ".c2lnbmF0dXJlLW9mLXNvbWVvbmUtZWxzZQ";

    Future<Caller> outcome = verifier.verify("Bearer " + token);

    try {
      Caller caller = outcome.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(caller.subject()).isNotBlank();
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(AuthFailureException.class);
      assertThat(((AuthFailureException) e.getCause()).failure().status()).isIn(401, 403);
    }
  }

  @Provide
  Arbitrary<JsonObject> headers() {
    Arbitrary<Object> alg = Arbitraries.oneOf(Arbitraries.of("HS256", "RS256", "none", "hs256").map(a -> (Object) a),
        jsonValues());
    return Combinators.combine(alg, fields(HEADER_NAMES)).as((a, extra) -> {
      JsonObject header = new JsonObject(extra);
      header.put("alg", a);
      return header;
    });
  }

  @Provide
  Arbitrary<JsonObject> claims() {
    long now = System.currentTimeMillis() / 1000;
    Arbitrary<Object> time = Arbitraries.oneOf(Arbitraries.longs().between(now - 600, now + 600).map(t -> (Object) t),
        jsonValues());
    return Combinators.combine(time, fields(CLAIM_NAMES)).as((exp, extra) -> {
      JsonObject claims = new JsonObject().put("sub", "alice").put("roles", new JsonArray().add("viewer"));
      claims.getMap().putAll(extra);
      return claims.put("exp", exp);
    });
  }

  /** Some of {@code names}, each with any JSON value. */
  private static Arbitrary<Map<String, Object>> fields(List<String> names) {
    return Arbitraries.maps(Arbitraries.of(names), jsonValues()).ofMaxSize(names.size());
  }

  private static Arbitrary<Object> jsonValues() {
    Arbitrary<Object> scalars = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(12).map(v -> (Object) v),
        Arbitraries.longs().map(v -> (Object) v),
        Arbitraries.doubles().map(v -> (Object) v),
        Arbitraries.of(true, false).map(v -> (Object) v),
        Arbitraries.just(null));
    Arbitrary<Object> arrays = scalars.list().ofMaxSize(3).map(list -> (Object) new JsonArray(new java.util.ArrayList<>(list)));
    Arbitrary<Object> objects = Arbitraries.maps(Arbitraries.strings().alpha().ofLength(3), scalars).ofMaxSize(2)
        .map(map -> (Object) new JsonObject(new java.util.LinkedHashMap<>(map)));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, scalars), net.jqwik.api.Tuple.of(2, arrays), net.jqwik.api.Tuple.of(1, objects));
  }
}
