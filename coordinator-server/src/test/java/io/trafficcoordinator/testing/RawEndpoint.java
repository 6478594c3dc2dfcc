package io.trafficcoordinator.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An endpoint that answers each request head it reads with bytes a test scripts, framing and all:
 * for responses no HTTP library would send. It counts the connections it accepts and those the
 * other side closed.
 */
public final class RawEndpoint implements AutoCloseable {

  private final ServerSocket server;
  private final AtomicReference<String> answer = new AtomicReference<>("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger closedByPeer = new AtomicInteger();
  private final CopyOnWriteArrayList<Socket> sockets = new CopyOnWriteArrayList<>();

  private RawEndpoint(ServerSocket server) {
    this.server = server;
    Thread acceptor = new Thread(this::acceptAll, "raw-endpoint");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static RawEndpoint start() throws IOException {
    return new RawEndpoint(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** What every request gets from now on, byte for byte. */
  public void answerWith(String response) {
    answer.set(response);
  }

  public int accepted() {
    return accepted.get();
  }

  /** Connections the proxy closed (an end of stream read while waiting for the next request). */
  public int closedByPeer() {
    return closedByPeer.get();
  }

  private void acceptAll() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        accepted.incrementAndGet();
        sockets.add(socket);
        Thread connection = new Thread(() -> serve(socket), "raw-endpoint-connection");
        connection.setDaemon(true);
        connection.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket; InputStream in = socket.getInputStream()) {
      while (readHead(in)) {
        socket.getOutputStream().write(answer.get().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
      }
      closedByPeer.incrementAndGet();
    } catch (IOException e) {
      closedByPeer.incrementAndGet();
    }
  }

  /** Reads one request head; false at the end of the stream. Request bodies are not expected. */
  private static boolean readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    for (int b; (b = in.read()) != -1; ) {
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
      if (matched == 4) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
