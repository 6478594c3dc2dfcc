package io.trafficcoordinator.config;

/** An address to listen on; port 0 asks the operating system for a free port. */
public record ListenerConfig(String host, int port) {

  public static final ListenerConfig DEFAULT_DATA = new ListenerConfig("0.0.0.0", 8080);
  public static final ListenerConfig DEFAULT_CONTROL = new ListenerConfig("127.0.0.1", 9090);

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
