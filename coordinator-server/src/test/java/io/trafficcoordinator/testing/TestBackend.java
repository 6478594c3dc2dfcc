package io.trafficcoordinator.testing;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP endpoint on 127.0.0.1 for proxy tests. Records every connection and request it
 * sees; by default answers each request, once its body is read, with a JSON echo of what it got.
 * The behaviour can be swapped at any time.
 */
public final class TestBackend implements AutoCloseable {

  /** A request as the endpoint saw it. */
  public record Seen(String method, String uri, MultiMap headers, CompletableFuture<Long> bodyBytes) {}

  private final String name;
  private final HttpServer server;
  private final AtomicInteger connections = new AtomicInteger();
  private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
  private volatile Behaviour behaviour = TestBackend::echo;
  private volatile Handler<HttpServerRequest> rawBehaviour;

  /** What the endpoint does once it has read a request's whole body. */
  @FunctionalInterface
  public interface Behaviour {
    void respond(HttpServerRequest request, long bodyBytes);
  }

  private TestBackend(String name, HttpServer server) {
    this.name = name;
    this.server = server;
  }

  public static TestBackend start(Vertx vertx, String name) throws Exception {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    TestBackend backend = new TestBackend(name, server);
    server.connectionHandler(connection -> backend.connections.incrementAndGet());
    server.requestHandler(backend::handle);
    server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return backend;
  }

  private void handle(HttpServerRequest request) {
    MultiMap headers = HttpHeaders.headers().addAll(request.headers());
    CompletableFuture<Long> body = new CompletableFuture<>();
    seen.add(new Seen(request.method().name(), request.uri(), headers, body));
    request.response().putHeader("x-endpoint", name);
    Handler<HttpServerRequest> raw = rawBehaviour;
    if (raw != null) {
      raw.handle(request);
      return;
    }
    request.exceptionHandler(body::completeExceptionally);
    long[] count = new long[1];
    request.handler(chunk -> count[0] += chunk.length());
    request.endHandler(end -> {
      body.complete(count[0]);
      behaviour.respond(request, count[0]);
    });
  }

  /** Answers 200 with {"endpoint","method","uri","bodyBytes","headers"}. */
  public static void echo(HttpServerRequest request, long bodyBytes) {
    JsonObject headers = new JsonObject();
    request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
    JsonObject body = new JsonObject()
        .put("endpoint", request.response().headers().get("x-endpoint"))
        .put("method", request.method().name())
        .put("uri", request.uri())
        .put("bodyBytes", bodyBytes)
        .put("headers", headers);
    request.response().putHeader("content-type", "application/json").end(body.encode());
  }

  /**
   * Answers with {@code size} bytes of body (Content-Length set), written in 64 KiB chunks as fast
   * as the connection takes them and no faster; {@code written} is told each chunk's size.
   */
  public static void stream(io.vertx.core.http.HttpServerResponse response, long size, java.util.function.LongConsumer written) {
    response.putHeader("content-length", String.valueOf(size));
    byte[] pattern = new byte[64 << 10];
    for (int i = 0; i < pattern.length; i++) {
      pattern[i] = (byte) (i * 31 + 7);
    }
    io.vertx.core.buffer.Buffer chunk = io.vertx.core.buffer.Buffer.buffer(pattern);
    long[] sent = {0};
    Runnable[] more = new Runnable[1];
    more[0] = () -> {
      while (sent[0] < size && !response.writeQueueFull()) {
        response.write(chunk);
        sent[0] += chunk.length();
        written.accept(chunk.length());
      }
      if (sent[0] >= size) {
        response.end();
      } else {
        response.drainHandler(ready -> more[0].run());
      }
    };
    more[0].run();
  }

  /** What to do with each request once its body is read (the default echoes). */
  public void behave(Behaviour behaviour) {
    this.behaviour = behaviour;
    this.rawBehaviour = null;
  }

  /** Takes over requests entirely, body reading included (requests are still recorded, without a body count). */
  public void behaveRaw(Handler<HttpServerRequest> handler) {
    this.rawBehaviour = handler;
  }

  /** Fault: answers every request with {@code status} and the body {@code fault <status>}. */
  public void failWith(int status) {
    behave((request, bytes) -> request.response().setStatusCode(status).end("fault " + status));
  }

  /** Fault: reads each request's body, then closes its connection without an answer. */
  public void resetConnections() {
    behave((request, bytes) -> request.connection().close());
  }

  /** Fault: reads each request's body and never answers. */
  public void stall() {
    behave((request, bytes) -> { });
  }

  /** Fault: stops listening and closes every connection, as a crashed process would; not awaited. */
  public io.vertx.core.Future<Void> kill() {
    return server.close();
  }

  public String name() {
    return name;
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public int connections() {
    return connections.get();
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
