package io.trafficcoordinator.config;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;

/**
 * How the proxy and its health checks talk TLS to {@code https} endpoints. The server name is always
 * sent (SNI) and the endpoint's certificate always checked against its host name.
 *
 * @param caFile PEM certificates to trust instead of the JVM's trust store, or null
 * @param certFile a PEM client certificate to present (mutual TLS), with {@code keyFile}, or null
 * @param keyFile the client certificate's PEM private key, or null
 */
public record UpstreamTlsConfig(String caFile, String certFile, String keyFile) {

  public static final UpstreamTlsConfig DEFAULT = new UpstreamTlsConfig(null, null, null);

  static UpstreamTlsConfig bind(ConfigNode node) {
    if (!node.isPresent()) {
      return DEFAULT;
    }
    ConfigObject o = node.asObject();
    UpstreamTlsConfig config = new UpstreamTlsConfig(o.string("caFile", null), o.string("certFile", null),
        o.string("keyFile", null));
    o.finish();
    if ((config.certFile == null) != (config.keyFile == null)) {
      o.problem("a client certificate needs both certFile and keyFile");
    }
    return config;
  }
}
