package io.trafficcoordinator.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trafficcoordinator.chaos.FaultyEndpoint.Fault;
import io.trafficcoordinator.testing.RawHttp;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chaos run's endpoint breaks the way it says it does, and heals. */
class FaultyEndpointTest {

  private static final String GET = "GET /x HTTP/1.1\r\nHost: x\r\n\r\n";

  private Vertx vertx;
  private FaultyEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    endpoint = new FaultyEndpoint(vertx, 1);
    endpoint.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void breakDown(Fault fault) throws Exception {
    endpoint.breakDown(fault).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void healthyItAnswersAKibibyte() throws Exception {
    RawHttp.Response response = RawHttp.exchange(endpoint.port(), GET);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).hasSize(1024);
    assertThat(endpoint.received()).isEqualTo(1);
  }

  @Test
  void cutAfterHeadSendsTheHeadAndCloses() throws Exception {
    breakDown(Fault.CUT_AFTER_HEAD);
    RawHttp.Response response = RawHttp.exchange(endpoint.port(), GET);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("content-length")).isEqualTo("1024");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void cutMidBodySendsHalfAndCloses() throws Exception {
    breakDown(Fault.CUT_MID_BODY);
    assertThat(RawHttp.exchange(endpoint.port(), GET).body()).hasSize(512);
  }

  @Test
  void hangingItReadsAndNeverAnswers() throws Exception {
    breakDown(Fault.HANG);
    try (RawHttp http = new RawHttp(endpoint.port())) {
      http.send(GET);
      http.socket().setSoTimeout(500);
      assertThatThrownBy(http::read).isInstanceOf(SocketTimeoutException.class);
    }
    assertThat(endpoint.received()).isEqualTo(1);
  }

  @Test
  void killedItDropsItsConnectionsAndRefusesUntilItRecovers() throws Exception {
    int port = endpoint.port();
    RawHttp open = new RawHttp(port);
    open.send(GET);
    assertThat(open.read().status()).isEqualTo(200);
    breakDown(Fault.KILL);
    assertThat(open.closedByPeer()).isTrue();
    open.close();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    endpoint.recover().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(endpoint.port()).isEqualTo(port);
    assertThat(RawHttp.exchange(port, GET).status()).isEqualTo(200);
  }

  @Test
  void anUnknownFaultIsNamed() {
    assertThatThrownBy(() -> Fault.of("melt")).hasMessageContaining("no fault 'melt'");
  }
}
