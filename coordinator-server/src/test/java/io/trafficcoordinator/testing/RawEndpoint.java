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
 * for responses no HTTP library would send, and for the ways a broken endpoint ends them (closing
 * or resetting its connection right after, or never answering at all). It counts the connections
 * it accepts, the requests it read, and the connections the other side closed.
 */
public final class RawEndpoint implements AutoCloseable {

  /** What the endpoint does once it has written its answer. */
  public enum Ending {
    /** Waits for the next request on the connection. */
    KEEP_OPEN,
    /** Closes the connection (a FIN), whatever its answer's framing promised. */
    CLOSE,
    /** Resets the connection (an RST: linger 0). */
    RESET,
    /** Writes nothing at all and keeps the connection open: a black hole. */
    NEVER_ANSWER
  }

  private final ServerSocket server;
  private final AtomicReference<String> answer = new AtomicReference<>("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  private final AtomicReference<Ending> ending = new AtomicReference<>(Ending.KEEP_OPEN);
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
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
    answerWith(response, Ending.KEEP_OPEN);
  }

  /** What every request gets from now on, then how the connection ends. */
  public void answerWith(String response, Ending then) {
    answer.set(response);
    ending.set(then);
  }

  /** Requests whose head it read. */
  public int requests() {
    return requests.get();
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
        requests.incrementAndGet();
        Ending then = ending.get();
        if (then == Ending.NEVER_ANSWER) {
          continue; // reads on, answers nothing
        }
        socket.getOutputStream().write(answer.get().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        if (then == Ending.RESET) {
          pause(); // so that what was written arrives before the reset, which would discard it
          socket.setSoLinger(true, 0);
        }
        if (then != Ending.KEEP_OPEN) {
          socket.close();
          return;
        }
      }
      closedByPeer.incrementAndGet();
    } catch (IOException e) {
      closedByPeer.incrementAndGet();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
