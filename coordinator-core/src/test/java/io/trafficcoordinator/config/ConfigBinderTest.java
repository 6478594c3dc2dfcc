package io.trafficcoordinator.config;

import static io.trafficcoordinator.config.ConfigTrees.at;
import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static io.trafficcoordinator.config.ConfigTrees.validDocument;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.trafficcoordinator.config.tree.ConfigProblem;
import io.trafficcoordinator.config.tree.ConfigValues;
import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.trafficcoordinator.outlier.OutlierConfig;
import io.trafficcoordinator.retry.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {

  private static List<String> problemsAfter(Consumer<Map<String, Object>> mistake) {
    Map<String, Object> tree = validDocument();
    mistake.accept(tree);
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigBinder.bind(tree));
    assertThat(e).as("the mistake is refused").isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void validDocumentBindsWithDefaultsFilledIn() throws Exception {
    CoordinatorConfig config = ConfigBinder.bind(validDocument());

    assertThat(config.listeners().data()).isEqualTo(new ListenerConfig("127.0.0.1", 0));
    assertThat(config.listeners().control()).isEqualTo(new ListenerConfig("127.0.0.1", 0));
    assertThat(config.limits()).isEqualTo(LimitsConfig.DEFAULT);
    ServiceConfig users = config.service("users").orElseThrow();
    assertThat(users.strategy().name()).isEqualTo("least-latency");
    assertThat(users.endpoints()).extracting(EndpointConfig::id).containsExactly("http://127.0.0.1:9001", "users-b");
    assertThat(users.endpoints().get(1).tier()).isEqualTo(1);
    assertThat(config.service("orders").orElseThrow().strategy().name()).isEqualTo("round-robin");
    assertThat(config.service("orders").orElseThrow().group()).isEqualTo("default");
    assertThat(config.routes().get(0).name()).isEqualTo("/users");
    assertThat(config.routes().get(0).timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.routes().get(1).rewritePrefix()).isEqualTo("/");
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsPath() {
    List<String> problems = problemsAfter(tree -> {
      at(tree, "services", 0, "endpoints", 0).put("url", "ftp://x");
      at(tree, "services", 0, "endpoints", 1).put("weight", 0);
      at(tree, "routes", 0).put("timeout", "2 seconds");
    });

    assertThat(problems).containsExactlyInAnyOrder(
        "services[0].endpoints[0].url: not an absolute http(s) URL: 'ftp://x'",
        "services[0].endpoints[1].weight: must be between 1 and 1000, got 0",
        "routes[0].timeout: not a duration: '2 seconds' (write a whole number and a unit: ms, s, m, h or d, for example 250ms or 30s)");
  }

  @Test
  void unknownKeyIsAnErrorAndTheClosestKnownKeyIsSuggested() {
    assertThat(problemsAfter(tree -> at(tree, "routes", 0).put("pathprefix", "/x")))
        .containsExactly("routes[0].pathprefix: unknown key (did you mean 'pathPrefix'?)");
    assertThat(problemsAfter(tree -> tree.put("colour", "blue"))).containsExactly("colour: unknown key");
  }

  @Test
  void unknownStrategyListsTheValidOnes() {
    assertThat(problemsAfter(tree -> at(tree, "services", 1).put("strategy", "fastest")))
        .containsExactly("services[1].strategy: unknown strategy 'fastest'; valid strategies: round-robin, "
            + "weighted-performance, least-latency, health-distributed, geographic-smart, cost-performance-hybrid, "
            + "predictive-system, adaptive-intelligent");
  }

  @Test
  void aParameterOfAnotherStrategyIsAnErrorWithAHint() {
    // alpha belongs to cost-performance-hybrid; this service uses another strategy.
    assertThat(problemsAfter(tree -> {
      at(tree, "services", 1).put("strategy", "cost-performance-hybrid");
      at(tree, "services", 1).put("strategyParameters", map("alfa", 0.5, "latencyObjective", "soon"));
    })).containsExactly(
        "services[1].strategyParameters.latencyObjective: not a duration: 'soon' (write a whole number and a unit: "
            + "ms, s, m, h or d, for example 250ms or 30s)",
        "services[1].strategyParameters.alfa: unknown key (did you mean 'alpha'?)");
  }

  @Test
  void retrySettingsAreReadWithDefaultsAndCheckedWithTheirPaths() throws Exception {
    CoordinatorConfig defaults = ConfigBinder.bind(validDocument());
    assertThat(defaults.routes().get(0).retries()).isEqualTo(RetryConfig.DEFAULT);

    Map<String, Object> tree = validDocument();
    at(tree, "routes", 0).put("retries", map("maxAttempts", 3, "perTryTimeout", "500ms",
        "retryOn", list("reset", 503, "429"), "backoff", map("base", "10ms", "max", "40ms"),
        "budget", map("percent", 10, "window", "30s", "minPerSecond", 1), "replayBodyLimit", "1KiB"));
    RetryConfig retries = ConfigBinder.bind(tree).routes().get(0).retries();
    assertThat(retries).isEqualTo(new RetryConfig(3, Duration.ofMillis(500), false, true, false, java.util.Set.of(503, 429),
        Duration.ofMillis(10), Duration.ofMillis(40), new RetryConfig.Budget(10, Duration.ofSeconds(30), 1), 1024));
    assertThat(retries.perTryTimeoutNanos(Duration.ofSeconds(2).toNanos(), Duration.ofSeconds(2).toNanos()))
        .isEqualTo(Duration.ofMillis(500).toNanos());

    assertThat(problemsAfter(t -> at(t, "routes", 0).put("retries", map("maxAttempts", 0, "perTryTimeout", "3s",
        "retryOn", list("refused", 200), "backoff", map("base", "1s", "max", "10ms"), "budget", map("percent", 120)))))
        .containsExactly(
            "routes[0].retries.maxAttempts: must be between 1 and 10, got 0",
            "routes[0].retries.perTryTimeout: must not be longer than the route's timeout (2000 ms)",
            "routes[0].retries.retryOn[0]: not a retry condition: 'refused'; use connect-failure, reset, timeout or a status code from 400 to 599",
            "routes[0].retries.retryOn[1]: must be between 400 and 599, got 200",
            "routes[0].retries.backoff.max: must not be shorter than base (1000 ms)",
            "routes[0].retries.budget.percent: must be between 0 and 100, got 120");
  }

  @Test
  void answerHoldAndStallSettingsAreReadWithDefaultsAndChecked() throws Exception {
    CoordinatorConfig defaults = ConfigBinder.bind(validDocument());
    assertThat(defaults.routes().get(0).answerHold()).isEqualTo(AnswerHold.DEFAULT);
    assertThat(defaults.services().get(0).outliers().stall()).isEqualTo(OutlierConfig.Stall.DEFAULT);

    Map<String, Object> tree = validDocument();
    at(tree, "routes", 0).put("answerHold", map("limit", "1KiB", "maxWait", "50ms"));
    at(tree, "services", 0).put("outlierDetection", map("stall", map("latencyFactor", 4, "floor", "1s", "minimumWaiting", 3)));
    CoordinatorConfig config = ConfigBinder.bind(tree);
    assertThat(config.routes().get(0).answerHold()).isEqualTo(new AnswerHold(1024, Duration.ofMillis(50)));
    assertThat(config.services().get(0).outliers().stall()).isEqualTo(new OutlierConfig.Stall(true, 4, Duration.ofSeconds(1), 3));
    assertThat(new AnswerHold(0, Duration.ofMillis(50)).enabled()).isFalse();

    assertThat(problemsAfter(t -> {
      at(t, "routes", 0).put("answerHold", map("limit", "-1", "maxWait", "2m", "size", 1));
      at(t, "services", 0).put("outlierDetection", map("stall", map("latencyFactor", 0.5, "floor", "1ms")));
    })).containsExactlyInAnyOrder(
        "routes[0].answerHold.limit: not a size: '-1' (write a whole number of bytes or a number with B, KiB, MiB or GiB,"
            + " for example 64KiB)",
        "routes[0].answerHold.maxWait: must be between 0s and 1m, got 2m",
        "routes[0].answerHold.size: unknown key",
        "services[0].outlierDetection.stall.latencyFactor: must be between 1.0 and 1000.0, got 0.5",
        "services[0].outlierDetection.stall.floor: must be between 10ms and 10m, got 1ms");
  }

  @Test
  void healthCheckSettingsAreReadAndCheckedWithTheirPaths() throws Exception {
    assertThat(problemsAfter(tree -> at(tree, "services", 1).put("healthCheck",
        map("path", "health", "interval", "1s", "timeout", "2s", "expectedStatuses", list("200", "299-200", "teapot")))))
        .containsExactly(
            "services[1].healthCheck.path: must start with '/' and contain no spaces or control characters",
            "services[1].healthCheck.expectedStatuses[1]: expected a status (200) or a range (200-299) between 100 and 599, got '299-200'",
            "services[1].healthCheck.expectedStatuses[2]: expected a status (200) or a range (200-299) between 100 and 599, got 'teapot'",
            "services[1].healthCheck.timeout: must not be longer than the interval (1s)");
    assertThat(problemsAfter(tree -> at(tree, "services", 1).put("healthCheck", map("interval", "2s", "unhealthyInterval", "3s"))))
        .containsExactly("services[1].healthCheck.unhealthyInterval: must not be longer than the interval (2s)");
    Map<String, Object> fast = validDocument();
    at(fast, "services", 1).put("healthCheck", map("interval", "500ms", "timeout", "200ms"));
    assertThat(ConfigBinder.bind(fast).services().get(1).healthCheck().unhealthyInterval()).isEqualTo(Duration.ofMillis(500));

    Map<String, Object> tree = validDocument();
    at(tree, "services", 1).put("healthCheck", map("path", "/ready", "expectedStatuses", list(204, "300-302")));
    HealthCheckConfig check = ConfigBinder.bind(tree).services().get(1).healthCheck();
    assertThat(check.path()).isEqualTo("/ready");
    assertThat(check.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(check.unhealthyInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(check.passes(204)).isTrue();
    assertThat(check.passes(301)).isTrue();
    assertThat(check.passes(200)).isFalse();
  }

  @Test
  void unknownStrategyParameterIsAnError() {
    assertThat(problemsAfter(tree -> at(tree, "services", 1).put("strategyParameters", map("alpha", 1))))
        .containsExactly("services[1].strategyParameters.alpha: unknown key");
  }

  @Test
  void missingRequiredValuesAreNamed() {
    assertThat(problemsAfter(tree -> {
      at(tree, "services", 1).remove("name");
      at(tree, "routes", 0).remove("pathPrefix");
    })).contains("services[1].name: is required", "routes[0].pathPrefix: is required");
  }

  @Test
  void routeToUnknownServiceListsTheServices() {
    assertThat(problemsAfter(tree -> at(tree, "routes", 0).put("service", "payments")))
        .containsExactly("routes[0].service: no service is named 'payments'; services: users, orders");
  }

  @Test
  void duplicatesAreRefused() {
    assertThat(problemsAfter(tree -> at(tree, "services", 1).put("name", "users")))
        .contains("services[1].name: duplicate service name 'users' (first at services[0])");
    assertThat(problemsAfter(tree -> {
      at(tree, "services", 0, "endpoints", 1).put("url", "http://127.0.0.1:9001");
      at(tree, "services", 0, "endpoints", 1).remove("id");
    }))
        .containsExactly("services[0].endpoints[1]: duplicate endpoint 'http://127.0.0.1:9001' (first at services[0].endpoints[0]);"
            + " give each endpoint a distinct url or id");
  }

  @Test
  void wrongTypesAreNamed() {
    assertThat(problemsAfter(tree -> tree.put("services", "users")))
        .contains("services: expected a list, got 'users'");
    assertThat(problemsAfter(tree -> at(tree, "listeners", "data").put("port", 70000)))
        .containsExactly("listeners.data.port: must be between 0 and 65535, got 70000");
    assertThat(problemsAfter(tree -> tree.put("limits", map("maxBodyBytes", "lots"))))
        .containsExactly("limits.maxBodyBytes: not a size: 'lots' (write a whole number of bytes or a number with B, KiB, MiB or GiB, for example 64KiB)");
    assertThat(problemsAfter(tree -> tree.put("proxy", map("trustedProxies", list("10.0.0.0/33")))))
        .containsExactly("proxy.trustedProxies[0]: prefix length must be between 0 and 32: '10.0.0.0/33'");
  }

  @Test
  void pathPrefixMustBeInNormalForm() {
    assertThat(problemsAfter(tree -> at(tree, "routes", 0).put("pathPrefix", "users")))
        .containsExactly("routes[0].pathPrefix: must start with '/': 'users'");
    assertThat(problemsAfter(tree -> at(tree, "routes", 0).put("pathPrefix", "/a/../users")))
        .containsExactly("routes[0].pathPrefix: must be written in normal form (no '.' or '..' segments, unreserved"
            + " characters not percent-encoded): '/a/../users', write '/users'");
  }

  @Test
  void endpointUrlMustNotCarryAPath() {
    assertThat(problemsAfter(tree -> at(tree, "services", 1, "endpoints", 0).put("url", "http://127.0.0.1:9003/base")))
        .containsExactly("services[1].endpoints[0].url: must not have a path, query or fragment (rewrite paths on the route):"
            + " 'http://127.0.0.1:9003/base'");
  }

  @Test
  void listenersMustNotCollide() {
    assertThat(problemsAfter(tree -> tree.put("listeners", map("data", map("host", "127.0.0.1", "port", 8080),
        "control", map("host", "127.0.0.1", "port", 8080)))))
        .containsExactly("listeners.control: must not use the same address as the data listener (127.0.0.1:8080)");
  }

  @Test
  void trailingSlashOfPrefixIsDropped() throws Exception {
    Map<String, Object> tree = validDocument();
    at(tree, "routes", 0).put("pathPrefix", "/users/");

    assertThat(ConfigBinder.bind(tree).routes().get(0).pathPrefix()).isEqualTo("/users");
  }

  @Test
  void aDocumentWithOnlyAKeyIsAValidCoordinatorWithNothingToRoute() throws Exception {
    CoordinatorConfig config = ConfigBinder.bind(map("security", ConfigTrees.testSecurity()));

    assertThat(config.services()).isEmpty();
    assertThat(config.listeners()).isEqualTo(ListenersConfig.DEFAULT);
    assertThat(config.store()).isEqualTo(StoreConfig.DEFAULT);
    assertThat(config.security().rolesClaim()).isEqualTo("roles");
  }

  /** The data-plane security settings refuse what would open a hole rather than fail later. */
  @Test
  void unsafeTokenAndRateLimitSettingsAreRefused() {
    assertThat(problemsAfter(tree -> tree.put("security", map("jwt", map("jwksUrl", "http://idp.example.com/jwks",
        "audience", "api")))))
        .contains("security.jwt.jwksUrl: must be an https URL (http only to this machine), got"
            + " 'http://idp.example.com/jwks'");
    assertThat(problemsAfter(tree -> tree.put("security", map("jwt", map("jwksUrl", "https://idp.example.com/jwks")))))
        .containsExactly("security.jwt.jwksUrl: needs security.jwt.audience: an identity provider's tokens for other"
            + " applications would be accepted otherwise");
    assertThat(problemsAfter(tree -> at(tree, "routes", 0).put("auth", map("subjectHeader", "Authorization"))))
        .containsExactly("routes[0].auth.subjectHeader: 'Authorization' already means something to HTTP or the proxy;"
            + " name another header");
    assertThat(problemsAfter(tree -> at(tree, "routes", 0).put("rateLimit",
        map("requests", 1, "per", "24h", "burst", 1_000_000_000))))
        .containsExactly("routes[0].rateLimit.burst: is too large for this rate: a bucket could not hold that many tokens");
    assertThat(problemsAfter(tree -> at(tree, "routes", 0).put("rateLimit", map("requests", 10, "key", "subject"))))
        .containsExactly("routes[0].rateLimit.key: subject needs the route's auth: there is no verified subject on an"
            + " open route");
    assertThat(problemsAfter(tree -> at(tree, "routes", 0).put("rateLimit", map("requests", 10, "cost", 20))))
        .containsExactly("routes[0].rateLimit.cost: must not be more than burst (10): such a request could never pass");
  }

  @Test
  void withoutAKeyTheControlApiCannotStart() {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigBinder.bind(null));
    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        "security: is required: the control API needs at least one key to check tokens with (security.jwt.keys; see docs/SECURITY.md)");
    assertThat(problemsAfter(tree -> tree.put("security", map("jwt", map("keys", list())))))
        .containsExactly("security.jwt: needs at least one key (keys, a jwksFile or a jwksUrl): the control API does not start without one");
  }

  @Test
  void keysAreCheckedForTheirAlgorithmAndMaterial() {
    assertThat(problemsAfter(tree -> tree.put("security", map("jwt", map("keys", list(
        map("algorithm", "HS256", "secret", "short"),
        map("algorithm", "none"),
        map("algorithm", "RS256", "secret", "x".repeat(40)),
        map("algorithm", "HS256"),
        map("algorithm", "ES256", "publicKeyFile", "ec.pem")))))))
        .containsExactly(
            "security.jwt.keys[0].secret: must be at least 32 bytes long (RFC 7518 §3.2)",
            "security.jwt.keys[1].algorithm: must be one of HS256, RS256, ES256, got 'none'",
            "security.jwt.keys[2]: an RS256 key needs publicKeyFile (a PEM public key) and no secret",
            "security.jwt.keys[3]: an HS256 key needs exactly one of secret and secretFile");
    assertThat(problemsAfter(tree -> tree.put("security", map("jwt", map("keys", list(
        map("algorithm", "HS256", "secretFile", "a.key"), map("id", "b", "algorithm", "ES256", "publicKeyFile", "ec.pem")))))))
        .containsExactly("security.jwt.keys: give every key an id (its kid) when there is more than one");
  }

  @Test
  void valuesRoundTripThroughTheirTextForms() {
    assertThat(ConfigValues.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ConfigValues.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ConfigValues.formatDuration(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(ConfigValues.parseSize("64KiB")).isEqualTo(65536);
    assertThat(ConfigValues.parseSize("50MiB")).isEqualTo(50L << 20);
    assertThat(ConfigValues.formatSize(50L << 20)).isEqualTo("50MiB");
    assertThat(ConfigValues.parseSize("1000")).isEqualTo(1000);
  }
}
