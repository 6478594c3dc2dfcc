package io.trafficcoordinator.config;

/**
 * The two listeners.
 *
 * @param data the proxy (default {@code 0.0.0.0:8080})
 * @param control the control API, metrics and health (default {@code 127.0.0.1:9090})
 */
public record ListenersConfig(ListenerConfig data, ListenerConfig control) {

  public static final ListenersConfig DEFAULT =
      new ListenersConfig(ListenerConfig.DEFAULT_DATA, ListenerConfig.DEFAULT_CONTROL);
}
