package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on both listeners (PEM certificate and key) and to https endpoints: the server name sent, the
 * endpoint checked against a configured CA bundle, and a client certificate for an endpoint that
 * requires one.
 */
class TlsTest {

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static TestCertificates certs;
  private static HttpServer endpoint;
  private static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    certs = TestCertificates.selfSigned(dir, "localhost");
    // An https endpoint that requires a client certificate signed by (here: equal to) our certificate.
    endpoint = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true).setSni(true)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.cert().toString()).setKeyPath(certs.key().toString()))
            .setTrustOptions(new PemTrustOptions().addCertPath(certs.cert().toString()))
            .setClientAuth(ClientAuth.REQUIRED))
        .requestHandler(request -> request.response().putHeader("content-type", "application/json")
            .end(new JsonObject().put("sni", request.connection().indicatedServerName()).put("path", request.path()).encode()));
    endpoint.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certs.cert())) {
      trust.setCertificateEntry("localhost", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    client = HttpClient.newBuilder().sslContext(context).build();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static Map<String, Object> config(Map<String, Object> upstreamTls) {
    Map<String, Object> tls = map("certFile", certs.cert().toString(), "keyFile", certs.key().toString());
    return map(
        "listeners", map("data", map("tls", tls), "control", map("tls", tls)),
        "proxy", map("upstreamTls", upstreamTls),
        "services", list(map("name", "secure",
            "endpoints", list(map("url", "https://localhost:" + endpoint.actualPort())),
            "circuitBreaker", map("enabled", false), "outlierDetection", map("enabled", false))),
        "routes", list(map("pathPrefix", "/", "service", "secure", "retries", map("maxAttempts", 1))));
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bothListenersSpeakTlsAndTheEndpointGetsSniTheCaAndTheClientCertificate() throws Exception {
    try (ProxyFixture proxy = ProxyFixture.start(config(map("caFile", certs.cert().toString(),
        "certFile", certs.cert().toString(), "keyFile", certs.key().toString())))) {
      HttpResponse<String> response = get(proxy.port(), "/orders/7");
      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject seen = new JsonObject(response.body());
      assertThat(seen.getString("sni")).isEqualTo("localhost");
      assertThat(seen.getString("path")).isEqualTo("/orders/7");

      assertThat(get(proxy.controlPort(), "/api/v1/master-coordination/health").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void withoutTheCaBundleOrTheClientCertificateTheHandshakeFailsWith502() throws Exception {
    // The JVM's trust store does not know our certificate.
    try (ProxyFixture proxy = ProxyFixture.start(config(map()))) {
      HttpResponse<String> response = get(proxy.port(), "/x");
      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(response.body()).contains("upstream-connect-failed", "TLS handshake with");
    }
    // Trusted, but no client certificate for an endpoint that requires one.
    try (ProxyFixture proxy = ProxyFixture.start(config(map("caFile", certs.cert().toString())))) {
      HttpResponse<String> response = get(proxy.port(), "/x");
      assertThat(response.statusCode()).isEqualTo(502);
    }
  }

  @Test
  void aMissingCertificateFileStopsTheStartNamingItsPath() {
    Map<String, Object> config = config(map("caFile", dir.resolve("no-such-ca.pem").toString()));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyFixture.start(config))
        .hasStackTraceContaining("proxy.upstreamTls.caFile: no such file: " + dir.resolve("no-such-ca.pem"));
  }
}
