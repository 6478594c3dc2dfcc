package io.trafficcoordinator.proxy;

import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.http.ProblemType;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Maps what went wrong on the way to an endpoint onto the problem the client is told. */
final class UpstreamErrors {

  private UpstreamErrors() {}

  static ProblemType classify(Throwable cause) {
    if (cause instanceof ConnectionPoolTooBusyException) {
      return ProblemType.ENDPOINT_QUEUE_FULL;
    }
    if (tlsFailure(cause) != null) {
      return ProblemType.UPSTREAM_CONNECT_FAILED;
    }
    // Netty's ConnectTimeoutException is a ConnectException too.
    if (cause instanceof ConnectException || cause instanceof UnknownHostException
        || cause instanceof UnresolvedAddressException) {
      return ProblemType.UPSTREAM_CONNECT_FAILED;
    }
    if (cause instanceof TimeoutException) {
      // Vert.x's pool reports a wait for a connection that ran out as a TimeoutException.
      return ProblemType.ENDPOINT_QUEUE_TIMEOUT;
    }
    return ProblemType.UPSTREAM_FAILED;
  }

  /** The TLS failure in {@code cause}'s chain (Vert.x wraps handshake errors), or null. */
  private static SSLException tlsFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SSLException ssl) {
        return ssl;
      }
    }
    return null;
  }

  private static Throwable rootOf(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  /** Whether the failure says something about the endpoint's health (as opposed to our own queue). */
  static boolean blamesEndpoint(ProblemType problem) {
    return problem != ProblemType.ENDPOINT_QUEUE_FULL && problem != ProblemType.ENDPOINT_QUEUE_TIMEOUT;
  }

  static String detail(ProblemType problem, Throwable cause, Endpoint endpoint) {
    return switch (problem) {
      case ENDPOINT_QUEUE_FULL -> "all connections to " + endpoint + " are busy and its queue is full";
      case ENDPOINT_QUEUE_TIMEOUT -> "no connection to " + endpoint + " became free in time";
      case UPSTREAM_CONNECT_FAILED -> tlsFailure(cause) != null
          ? "TLS handshake with " + endpoint + " failed: " + Problems.describe(rootOf(tlsFailure(cause)))
          : "could not connect to " + endpoint + ": " + Problems.describe(cause);
      default -> endpoint + " failed before responding: " + Problems.describe(cause);
    };
  }
}
