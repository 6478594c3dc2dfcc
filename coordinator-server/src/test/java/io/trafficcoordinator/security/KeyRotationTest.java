package io.trafficcoordinator.security;

import static io.trafficcoordinator.config.ConfigTrees.TEST_SECRET;
import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.Jwts;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.versioning.ConfigReloader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotating the control API's key with a reload: the new key works at once, the old one no longer does. */
class KeyRotationTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String NEW_SECRET = "the-rotated-secret-of-32-bytes!!";

  @TempDir
  Path dir;

  private static int status(ProxyFixture proxy, String secret) throws Exception {
    String token = Jwts.hs256(Jwts.header("HS256"), Jwts.claims("alice", 300, "viewer"), secret.getBytes(StandardCharsets.UTF_8));
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.controlPort()
        + "/api/v1/master-coordination/system-status")).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static String yaml(String secret) {
    return String.join("\n",
        "security: {jwt: {keys: [{algorithm: HS256, secret: '" + secret + "'}]}}",
        "store: {type: memory}",
        "services: [{name: api, endpoints: [{url: 'http://127.0.0.1:9'}]}]",
        "routes: [{pathPrefix: /, service: api}]",
        "");
  }

  @Test
  void aReloadRotatesTheKeysAndABadKeyKeepsTheOldOnes() throws Exception {
    Map<String, Object> tree = map(
        "services", list(map("name", "api", "endpoints", list(map("url", "http://127.0.0.1:9")))),
        "routes", list(map("pathPrefix", "/", "service", "api")));
    try (ProxyFixture proxy = ProxyFixture.start(tree)) {
      Path file = dir.resolve("coordinator.yaml");
      ConfigReloader reloader = proxy.coordinator().reloader(file);
      assertThat(status(proxy, TEST_SECRET)).isEqualTo(200);

      Files.writeString(file, yaml(NEW_SECRET));
      reloader.reload();
      assertThat(status(proxy, NEW_SECRET)).isEqualTo(200);
      assertThat(status(proxy, TEST_SECRET)).isEqualTo(401);

      // A key file that cannot be read: the rotation is refused, the current key keeps working.
      Files.writeString(file, yaml(NEW_SECRET).replace("secret: '" + NEW_SECRET + "'",
          "secretFile: '" + dir.resolve("missing.key") + "'"));
      reloader.reload();
      assertThat(status(proxy, NEW_SECRET)).isEqualTo(200);
    }
  }
}
