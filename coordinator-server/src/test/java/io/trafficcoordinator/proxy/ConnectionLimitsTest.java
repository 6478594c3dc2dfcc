package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.testing.OneEndpointProxy;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.RawHttp;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Keep-alive pooling to endpoints, the bounded queue behind the pool, and the client connection cap. */
class ConnectionLimitsTest {

  private OneEndpointProxy setup;
  private TestBackend backend;
  private ProxyFixture proxy;

  @AfterEach
  void stop() throws Exception {
    if (setup != null) {
      setup.close();
    }
  }

  private void startProxy(Object limits) throws Exception {
    setup = OneEndpointProxy.start(map("pathPrefix", "/"), map("limits", limits));
    backend = setup.backend();
    proxy = setup.proxy();
  }

  @Test
  void connectionsToAnEndpointAreReusedAndNeverExceedTheConcurrencyUsed() throws Exception {
    startProxy(map());
    int concurrency = 8;
    int requests = 400;
    HttpClient client = setup.vertx().httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setDefaultHost("127.0.0.1").setDefaultPort(proxy.port()))
        .with(new PoolOptions().setHttp1MaxSize(concurrency).setMaxWaitQueueSize(-1))
        .build();
    List<Future<Integer>> statuses = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      statuses.add(client.request(HttpMethod.GET, "/item/" + i)
          .compose(request -> request.send().compose(response -> response.body().map(body -> response.statusCode()))));
    }
    Future.all(statuses).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

    assertThat(statuses).allMatch(status -> status.result() == 200);
    assertThat(backend.seen()).hasSize(requests);
    assertThat(backend.connections()).isBetween(1, concurrency);
  }

  @Test
  void whenEveryConnectionIsBusyAndTheQueueIsFullTheNextRequestGets503() throws Exception {
    startProxy(map("maxConnectionsPerEndpoint", 1, "maxPendingPerEndpoint", 1));
    ConcurrentLinkedQueue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
    backend.behaveRaw(held::add);

    try (RawHttp first = new RawHttp(proxy.port()); RawHttp second = new RawHttp(proxy.port());
        RawHttp third = new RawHttp(proxy.port())) {
      // The first request takes the only connection and is held there.
      first.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
      // Of the next two, one waits in the single queue slot and the other is refused at once.
      second.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
      third.send("GET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp refused = null;
      RawHttp queued = null;
      for (int round = 0; refused == null && round < 100; round++) {
        if (second.socket().getInputStream().available() > 0) {
          refused = second;
          queued = third;
        } else if (third.socket().getInputStream().available() > 0) {
          refused = third;
          queued = second;
        } else {
          Thread.sleep(50);
        }
      }
      assertThat(refused).as("one request refused while the first is still held").isNotNull();
      RawHttp.Response answer = refused.read();
      assertThat(answer.status()).isEqualTo(503);
      assertThat(new JsonObject(answer.body()).getString("type")).isEqualTo("urn:traffic-coordinator:problem:endpoint-queue-full");

      // Releasing the held request lets the queued one through on the same connection.
      held.poll().response().end("one");
      assertThat(first.read().status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
      held.poll().response().end("two");
      assertThat(queued.read().status()).isEqualTo(200);
      assertThat(backend.connections()).isEqualTo(1);
    }
  }

  @Test
  void clientConnectionsOverTheLimitAreClosedAtOnce() throws Exception {
    startProxy(map("maxClientConnections", 2));
    try (RawHttp one = new RawHttp(proxy.port()); RawHttp two = new RawHttp(proxy.port())) {
      one.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
      two.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(one.read().status()).isEqualTo(200);
      assertThat(two.read().status()).isEqualTo(200);

      try (RawHttp three = new RawHttp(proxy.port())) {
        assertThat(three.closedByPeer()).isTrue();
      }
    }
    // With those closed, a new client is admitted again.
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.coordinator().dataPlane().connections().open() == 0);
    assertThat(RawHttp.exchange(proxy.port(), "GET /c HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
  }
}
