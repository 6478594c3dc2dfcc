package io.trafficcoordinator.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.testing.CoordinatorProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 50 MiB each way through a coordinator whose JVM has 96 MiB of heap and 24 MiB of direct memory,
 * with a reader that stops reading for a while. Without back-pressure the proxy would have to hold
 * tens of MiB and fail; with it, the writer on the far side stalls until the reader resumes, and the
 * bytes arrive complete and intact.
 */
class StreamingBackPressureTest {

  private static final long SIZE = 50L << 20;
  private static final int CHUNK = 64 << 10;
  private static final long PAUSE_AFTER = 1L << 20;

  private static Vertx vertx;
  private static HttpServer backend;
  private static CoordinatorProcess coordinator;
  private static final AtomicLong uploadReceived = new AtomicLong();
  private static final AtomicBoolean uploadPaused = new AtomicBoolean();
  private static final CompletableFuture<HttpServerRequest> pausedUpload = new CompletableFuture<>();
  private static final AtomicLong downloadWritten = new AtomicLong();

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    // Small fixed socket buffers on the endpoint, so the kernel cannot hide a missing back-pressure.
    backend = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
            .setSendBufferSize(CHUNK).setReceiveBufferSize(CHUNK))
        .requestHandler(request -> {
          if (request.path().equals("/upload")) {
            receiveUpload(request);
          } else {
            sendDownload(request.response());
          }
        });
    backend.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Path config = dir.resolve("coordinator.yaml");
    Files.writeString(config, String.join("\n",
        "listeners:",
        "  data: {host: 127.0.0.1, port: 0}",
        "  control: {host: 127.0.0.1, port: 0}",
          CoordinatorProcess.TEST_SECURITY_AND_STORE,
        "proxy: {accessLog: false}",
        "services:",
        "  - name: files",
        "    endpoints: [{url: 'http://127.0.0.1:" + backend.actualPort() + "'}]",
        "routes:",
        "  - {pathPrefix: /, service: files, timeout: 60s}",
        ""));
    coordinator = CoordinatorProcess.run(config, "-Xmx96m", "-XX:MaxDirectMemorySize=24m");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      coordinator.stop();
    } finally {
      coordinator.close();
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static void receiveUpload(HttpServerRequest request) {
    CRC32 crc = new CRC32();
    request.handler(chunk -> {
      crc.update(chunk.getBytes());
      if (uploadReceived.addAndGet(chunk.length()) >= PAUSE_AFTER && uploadPaused.compareAndSet(false, true)) {
        request.pause();
        pausedUpload.complete(request);
      }
    });
    request.endHandler(end -> request.response().end(uploadReceived.get() + " " + crc.getValue()));
  }

  private static void sendDownload(HttpServerResponse response) {
    response.putHeader("content-length", String.valueOf(SIZE));
    Buffer chunk = Buffer.buffer(pattern(CHUNK));
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (downloadWritten.get() < SIZE && !response.writeQueueFull()) {
        response.write(chunk);
        downloadWritten.addAndGet(CHUNK);
      }
      if (downloadWritten.get() >= SIZE) {
        response.end();
      } else {
        response.drainHandler(ready -> pump[0].run());
      }
    };
    pump[0].run();
  }

  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }

  private static long expectedCrc() {
    CRC32 crc = new CRC32();
    byte[] chunk = pattern(CHUNK);
    for (long sent = 0; sent < SIZE; sent += CHUNK) {
      crc.update(chunk);
    }
    return crc.getValue();
  }

  /** Polls {@code counter} until it stops moving (the stalled state), and returns where it stopped. */
  private static long plateauOf(AtomicLong counter) throws InterruptedException {
    long last = -1;
    for (int stableRounds = 0; stableRounds < 5; ) {
      Thread.sleep(100);
      long now = counter.get();
      stableRounds = now == last ? stableRounds + 1 : 0;
      last = now;
    }
    return last;
  }

  private static Socket connect() throws Exception {
    Socket socket = new Socket();
    socket.setSendBufferSize(CHUNK);
    socket.setReceiveBufferSize(CHUNK);
    socket.setSoTimeout(60_000);
    socket.connect(new InetSocketAddress("127.0.0.1", coordinator.dataPort()));
    return socket;
  }

  @Test
  void uploadStallsTheClientWhileTheEndpointIsNotReadingAndArrivesIntact() throws Exception {
    AtomicLong clientWritten = new AtomicLong();
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + SIZE + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          byte[] chunk = pattern(CHUNK);
          for (long sent = 0; sent < SIZE; sent += CHUNK) {
            out.write(chunk);
            clientWritten.addAndGet(CHUNK);
          }
          out.flush();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });

      HttpServerRequest upload = pausedUpload.get(30, TimeUnit.SECONDS);
      long stalledAt = plateauOf(clientWritten);
      assertThat(stalledAt).as("the client's writes stall while the endpoint does not read (stalled after %d bytes)", stalledAt)
          .isLessThan(SIZE / 2);

      upload.resume();
      writer.get(60, TimeUnit.SECONDS);
      String answer = readResponseBody(socket.getInputStream());
      assertThat(answer).isEqualTo(SIZE + " " + expectedCrc());
    }
  }

  @Test
  void downloadStallsTheEndpointWhileTheClientIsNotReadingAndArrivesIntact() throws Exception {
    try (Socket socket = connect()) {
      socket.getOutputStream().write("GET /download HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      skipHead(in);
      CRC32 crc = new CRC32();
      byte[] buffer = new byte[CHUNK];
      long read = 0;
      while (read < PAUSE_AFTER) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, PAUSE_AFTER - read));
        crc.update(buffer, 0, n);
        read += n;
      }

      long stalledAt = plateauOf(downloadWritten);
      assertThat(stalledAt).as("the endpoint's writes stall while the client does not read (stalled after %d bytes)", stalledAt)
          .isLessThan(SIZE / 2);

      while (read < SIZE) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, SIZE - read));
        if (n < 0) {
          break;
        }
        crc.update(buffer, 0, n);
        read += n;
      }
      assertThat(read).isEqualTo(SIZE);
      assertThat(crc.getValue()).isEqualTo(expectedCrc());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> downloadWritten.get() >= SIZE);
  }

  private static void skipHead(InputStream in) throws Exception {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IllegalStateException("connection closed in the response head");
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  private static String readResponseBody(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      head.append((char) b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 200");
    String lengthLine = head.toString().lines().filter(l -> l.toLowerCase().startsWith("content-length:")).findFirst().orElseThrow();
    int length = Integer.parseInt(lengthLine.substring(lengthLine.indexOf(':') + 1).trim());
    return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }
}
