package io.trafficcoordinator.server;

import io.trafficcoordinator.config.ListenerConfig;

/** A listener could not be bound; the message names the listener and its address in one line. */
public final class ListenerBindException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ListenerBindException(String listener, ListenerConfig address, Throwable cause) {
    super("cannot listen on " + address + " for the " + listener + " listener: " + reason(cause), cause);
  }

  private static String reason(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    // NIO reports a BindException, the native transport a NativeIoException quoting errno: read the text.
    String message = root.getMessage() == null ? "" : root.getMessage().toLowerCase(java.util.Locale.ROOT);
    if (message.contains("in use")) {
      return "the port is already in use";
    }
    if (message.contains("assign requested address") || message.contains("not available")) {
      return "that address does not belong to this machine";
    }
    if (message.contains("permission denied") || message.contains("access denied")) {
      return "permission denied (ports below 1024 need privileges)";
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
