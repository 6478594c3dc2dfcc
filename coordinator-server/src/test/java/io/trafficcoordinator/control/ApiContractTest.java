package io.trafficcoordinator.control;

import static io.trafficcoordinator.config.ConfigTrees.TEST_SECRET;
import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.trafficcoordinator.testing.Jwts;
import io.trafficcoordinator.testing.ProxyFixture;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document is the API: every operation in it is implemented, every route is in it, requests are checked by it. */
class ApiContractTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ProxyFixture proxy;

  @BeforeAll
  static void start() throws Exception {
    proxy = ProxyFixture.start(map(
        "services", list(map("name", "api", "endpoints", list(map("url", "http://127.0.0.1:9")))),
        "routes", list(map("pathPrefix", "/", "service", "api"))));
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
  }

  private static HttpResponse<String> call(String method, String path, String authorization, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.controlPort() + path))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String admin() {
    return "Bearer " + Jwts.hs256(Jwts.header("HS256"), Jwts.claims("alice", 300, "admin"), TEST_SECRET.getBytes(StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  private static Set<String> documentedOperations() throws Exception {
    HttpResponse<String> document = call("GET", "/openapi.yaml", null, null);
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.headers().firstValue("content-type")).contains("application/yaml");
    Map<String, Object> openapi = new ObjectMapper(new YAMLFactory()).readValue(document.body(), Map.class);
    assertThat(openapi.get("openapi")).isEqualTo("3.1.0");
    Set<String> operations = new TreeSet<>();
    ((Map<String, Map<String, Object>>) openapi.get("paths")).forEach((path, methods) ->
        methods.keySet().forEach(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path)));
    return operations;
  }

  @Test
  void everyDocumentedOperationIsImplementedAndEveryRouteIsDocumented() throws Exception {
    Set<String> documented = documentedOperations();
    Set<String> routes = new TreeSet<>(proxy.coordinator().control().apiRoutes());

    assertThat(routes).isEqualTo(documented);
    for (String operation : documented) {
      String[] methodAndPath = operation.split(" ");
      HttpResponse<String> answer = call(methodAndPath[0], methodAndPath[1], null,
          methodAndPath[0].equals("POST") ? "{}" : null);
      // Without a token: 401 for each operation (health needs none) — never 404 or 405.
      assertThat(answer.statusCode()).as(operation).isEqualTo(methodAndPath[1].endsWith("/health") ? 200 : 401);
    }
  }

  @Test
  void requestsAreValidatedAgainstTheDocumentWithEveryBadFieldListed() throws Exception {
    HttpResponse<String> bad = call("POST", "/api/v1/master-coordination/configure-load-balancing", admin(),
        "{\"strategy\":7,\"colour\":\"blue\",\"endpoints\":[{\"weight\":\"heavy\"}]}");
    assertThat(bad.statusCode()).isEqualTo(400);
    JsonObject problem = new JsonObject(bad.body());
    assertThat(problem.getString("type")).isEqualTo("urn:traffic-coordinator:problem:invalid-request");
    assertThat(problem.getString("correlationId")).isEqualTo(bad.headers().firstValue("x-request-id").orElseThrow());
    assertThat(problem.getJsonArray("errors")).extracting(e -> ((JsonObject) e).getString("path"))
        .contains("service", "strategy", "colour", "endpoints[0].weight");

    assertThat(call("GET", "/api/v1/master-coordination/health?probe=bogus", null, null).statusCode()).isEqualTo(400);
    assertThat(call("GET", "/api/v1/master-coordination/health?probe=liveness", null, null).statusCode()).isEqualTo(200);

    HttpResponse<String> badLimit = call("GET", "/api/v1/master-coordination/config/history?limit=lots", admin(), null);
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(badLimit.body()).getString("type")).isEqualTo("urn:traffic-coordinator:problem:invalid-request");
  }

  @Test
  void swaggerUiServesTheDocument() throws Exception {
    HttpResponse<String> index = call("GET", "/docs/", null, null);
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).contains("swagger-ui");
    assertThat(call("GET", "/docs/swagger-initializer.js", null, null).body()).contains("url: \"/openapi.yaml\"");
    assertThat(call("GET", "/docs/swagger-ui-bundle.js", null, null).statusCode()).isEqualTo(200);
  }
}
