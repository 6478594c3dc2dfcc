package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WebSocket upgrades pass through to the endpoint; refused ones and other upgrades do not open a tunnel. */
class WebSocketProxyTest {

  private static Vertx vertx;
  private static HttpServer backend;
  private static ProxyFixture proxy;
  private static final ConcurrentLinkedQueue<String> upgradeHeadersSeen = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    backend = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
            .setMaxWebSocketFrameSize(8 << 20).setMaxWebSocketMessageSize(8 << 20))
        .requestHandler(request -> {
          upgradeHeadersSeen.add(String.valueOf(request.getHeader("upgrade")));
          if (request.path().equals("/ws/echo")) {
            request.toWebSocket().onSuccess(ws -> ws.binaryMessageHandler(ws::writeBinaryMessage)
                .textMessageHandler(text -> ws.writeTextMessage("echo: " + text)));
          } else if (request.path().equals("/ws/refuse")) {
            request.response().setStatusCode(403).end("no websockets here");
          } else {
            request.response().end("plain answer");
          }
        });
    backend.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    proxy = ProxyFixture.start(map(
        "limits", map("headerReadTimeout", "300ms"),
        "services", list(map("name", "ws", "endpoints", list(map("url", "http://127.0.0.1:" + backend.actualPort())))),
        "routes", list(map("pathPrefix", "/", "service", "ws"))));
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static WebSocket connect(WebSocketClient client) throws Exception {
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(proxy.port()).setURI("/ws/echo"))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void messagesTravelBothWaysThroughTheTunnel() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions()
        .setMaxFrameSize(8 << 20).setMaxMessageSize(8 << 20));
    try {
      WebSocket ws = connect(client);
      CompletableFuture<String> text = new CompletableFuture<>();
      CompletableFuture<Buffer> binary = new CompletableFuture<>();
      ws.textMessageHandler(text::complete);
      ws.binaryMessageHandler(binary::complete);

      ws.writeTextMessage("hello");
      assertThat(text.get(10, TimeUnit.SECONDS)).isEqualTo("echo: hello");

      // 4 MiB in one message: many TCP segments each way, relayed with back-pressure.
      byte[] payload = new byte[4 << 20];
      Arrays.fill(payload, (byte) 7);
      payload[payload.length - 1] = 9;
      ws.writeBinaryMessage(Buffer.buffer(payload));
      assertThat(binary.get(20, TimeUnit.SECONDS).getBytes()).isEqualTo(payload);

      ws.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  /** A tunnel is not HTTP any more: its frames must not be timed as a slow request head. */
  @Test
  void aTunnelOutlivesTheHeaderReadTimeout() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      WebSocket ws = connect(client);
      ConcurrentLinkedQueue<String> echoes = new ConcurrentLinkedQueue<>();
      ws.textMessageHandler(echoes::add);
      ws.writeTextMessage("first");
      // Wait three times the 300 ms header-read timeout between frames.
      Thread.sleep(900);
      ws.writeTextMessage("second");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> echoes.size() == 2);
      assertThat(echoes).containsExactly("echo: first", "echo: second");
    } finally {
      client.close();
    }
  }

  @Test
  void anUpgradeTheEndpointRefusesComesBackAsItsAnswerWithNoTunnel() throws Exception {
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("GET /ws/refuse HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
          + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
      RawHttp.Response refused = http.read();

      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.body()).isEqualTo("no websockets here");
      // Still plain HTTP on the same connection.
      http.send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(http.read().body()).isEqualTo("plain answer");
    }
  }

  @Test
  void upgradesToAnythingButWebSocketAreNotPassedThrough() throws Exception {
    upgradeHeadersSeen.clear();
    RawHttp.Response response = RawHttp.exchange(proxy.port(), "GET /h2 HTTP/1.1\r\nHost: x\r\n"
        + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("plain answer");
    assertThat(upgradeHeadersSeen).containsExactly("null");
  }
}
