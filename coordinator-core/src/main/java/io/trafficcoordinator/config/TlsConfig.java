package io.trafficcoordinator.config;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;

/**
 * TLS for a listener: a PEM certificate chain and its PEM private key (PKCS#8 or PKCS#1). Files are
 * read when the listener starts; a change needs a restart.
 */
public record TlsConfig(String certFile, String keyFile) {

  static TlsConfig bind(ConfigNode node) {
    if (!node.isPresent()) {
      return null;
    }
    ConfigObject o = node.asObject();
    String cert = o.requiredString("certFile");
    String key = o.requiredString("keyFile");
    o.finish();
    return cert == null || key == null ? null : new TlsConfig(cert, key);
  }
}
