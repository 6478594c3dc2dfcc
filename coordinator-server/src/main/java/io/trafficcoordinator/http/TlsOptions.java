package io.trafficcoordinator.http;

import io.trafficcoordinator.config.TlsConfig;
import io.trafficcoordinator.config.UpstreamTlsConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/** Turns the TLS settings of the configuration into Vert.x options, the same way for every listener and client. */
public final class TlsOptions {

  private TlsOptions() {}

  /** {@code options}, speaking HTTPS with {@code tls}'s certificate when it is set. */
  public static HttpServerOptions server(HttpServerOptions options, TlsConfig tls) {
    if (tls == null) {
      return options;
    }
    return options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certFile()).setKeyPath(tls.keyFile()));
  }

  /**
   * {@code options} for reaching {@code https} endpoints: server name sent (SNI), host name checked,
   * the configured CA bundle trusted instead of the JVM's, and a client certificate when configured.
   */
  public static HttpClientOptions upstream(HttpClientOptions options, UpstreamTlsConfig tls) {
    options.setForceSni(true).setVerifyHost(true).setTrustAll(false);
    if (tls.caFile() != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(tls.caFile()));
    }
    if (tls.certFile() != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certFile()).setKeyPath(tls.keyFile()));
    }
    return options;
  }
}
