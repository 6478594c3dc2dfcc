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
import io.vertx.core.json.JsonObject;
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
  private static final CompletableFuture<Void> burstEndpointClosed = new CompletableFuture<>();

  /** A WebSocket handshake for {@code path}, up to and including the blank line. */
  private static String handshake(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
  }

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
          } else if (request.path().equals("/ws/burst")) {
            request.toWebSocket().onSuccess(ws -> {
              ws.closeHandler(closed -> burstEndpointClosed.complete(null));
              ws.writeBinaryMessage(Buffer.buffer(new byte[8 << 20]));
            });
          } else if (request.path().equals("/ws/refuse")) {
            request.response().setStatusCode(403).end("no websockets here");
          } else {
            request.response().end("plain answer");
          }
        });
    backend.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    proxy = ProxyFixture.start(map(
        "limits", map("headerReadTimeout", "300ms", "maxClientConnections", 8, "upstreamConnectTimeout", "1s"),
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
      http.send(handshake("/ws/refuse"));
      RawHttp.Response refused = http.read();

      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.body()).isEqualTo("no websockets here");
      // Still plain HTTP on the same connection.
      http.send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(http.read().body()).isEqualTo("plain answer");
    }
  }

  /** Closed tunnels give their client connection slot back (8 here): more than 8 in a row must all open. */
  @Test
  void closedTunnelsDoNotUseUpConnectionSlots() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      for (int i = 0; i < 12; i++) {
        WebSocket ws = connect(client);
        CompletableFuture<String> echo = new CompletableFuture<>();
        ws.textMessageHandler(echo::complete);
        ws.writeTextMessage("n" + i);
        assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("echo: n" + i);
        ws.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } finally {
      client.close();
    }
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> proxy.coordinator().dataPlane().connections().open() == 0);
  }

  /** A refused upgrade's upstream connection is closed, not kept: 12 refusals through a pool of 8 all answer. */
  @Test
  void refusedUpgradesDoNotHoldUpstreamConnections() throws Exception {
    for (int i = 0; i < 12; i++) {
      RawHttp.Response refused = RawHttp.exchange(proxy.port(), handshake("/ws/refuse"));
      assertThat(refused.status()).as("refusal %d", i).isEqualTo(403);
    }
  }

  @Test
  void aClientSpeakingBeforeTheHandshakeCompletesIsRefused() throws Exception {
    // "X" is held as the start of a head; "X\nY" is refused by the head rules at once (a bare LF):
    // either way those bytes were sent early, and the upgrade must not go through.
    for (String early : new String[] {"X", "X\nY"}) {
      try (RawHttp http = new RawHttp(proxy.port())) {
        http.send(handshake("/ws/echo") + early);
        RawHttp.Response response = http.read();

        assertThat(response.status()).as(early).isEqualTo(400);
        assertThat(http.closedByPeer()).isTrue();
      }
    }
  }

  /**
   * The endpoint sends a burst a slow client does not read, so the tunnel pauses the endpoint's
   * side; then the client hangs up. The endpoint's side closes too, and nothing leaks (checked
   * after the class).
   */
  @Test
  void aSlowClientHangingUpMidBurstClosesTheTunnel() throws Exception {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.setReceiveBufferSize(16 << 10);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", proxy.port()));
      socket.getOutputStream().write(handshake("/ws/burst").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getInputStream().read(new byte[1024]);
      Thread.sleep(300);
    }
    burstEndpointClosed.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aHandshakeWithABodyIsRefused() throws Exception {
    String withBody = handshake("/ws/echo").replace("\r\n\r\n", "\r\nContent-Length: 5\r\n\r\n") + "hello";
    RawHttp.Response response = RawHttp.exchange(proxy.port(), withBody);

    assertThat(response.status()).isEqualTo(400);
    assertThat(new JsonObject(response.body()).getString("detail")).isEqualTo("a WebSocket handshake must not have a body");
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
