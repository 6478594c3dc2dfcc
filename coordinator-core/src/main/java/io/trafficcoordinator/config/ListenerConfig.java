package io.trafficcoordinator.config;

/**
 * An address to listen on; port 0 asks the operating system for a free port.
 *
 * @param tls when set, the listener speaks HTTPS with this certificate; null for plain HTTP
 */
public record ListenerConfig(String host, int port, TlsConfig tls) {

  public ListenerConfig(String host, int port) {
    this(host, port, null);
  }

  public static final ListenerConfig DEFAULT_DATA = new ListenerConfig("0.0.0.0", 8080);
  public static final ListenerConfig DEFAULT_CONTROL = new ListenerConfig("127.0.0.1", 9090);

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
