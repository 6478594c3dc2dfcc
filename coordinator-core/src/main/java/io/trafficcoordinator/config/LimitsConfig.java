package io.trafficcoordinator.config;

import java.time.Duration;

/**
 * Limits that protect the coordinator and its endpoints. Every field has a default (below), chosen
 * after what Envoy, HAProxy and NGINX ship with.
 *
 * @param maxHeaderBytes the request's header section, beyond which the answer is 431 (32 KiB)
 * @param maxHeaderCount header fields in one request, beyond which the answer is 431 (100): the
 *     byte limit alone lets thousands of tiny fields through, each a map entry for the proxy and
 *     the endpoint
 * @param maxBodyBytes a request body, beyond which the answer is 413 (100 MiB)
 * @param minBodyBytes with {@code bodyRateWindow}, the slowest a request body may arrive: at
 *     least this many bytes in every window after the head, or the whole body (1 KiB per 5 s; 0
 *     turns the check off). A client trickling a body (the slow-POST or "RUDY" attack) gets 408
 *     and is disconnected; windows in which the proxy itself held the body back do not count
 * @param bodyRateWindow see {@code minBodyBytes}
 * @param headerReadTimeout from the first byte of a request to the end of its headers; a client
 *     that trickles its headers (slowloris) is cut off after it (10 s)
 * @param clientIdleTimeout a client connection with no traffic either way is closed after it (60 s)
 * @param maxClientConnections open client connections; further connections are closed at once (10,000)
 * @param upstreamConnectTimeout opening a connection to an endpoint (5 s); it also bounds the
 *     wait for a pooled connection, which is at most twice this: the queue wait (as HAProxy's
 *     {@code timeout queue} defaults to {@code timeout connect}) plus the connect itself
 * @param upstreamIdleTimeout an idle pooled connection to an endpoint is closed after it (30 s)
 * @param maxConnectionsPerEndpoint pooled connections to one endpoint (128)
 * @param maxPendingPerEndpoint requests waiting for one of those connections; beyond it, 503 (1,024)
 * @param drainTimeout on SIGTERM or Ctrl-C, how long requests in flight have to finish before the
 *     coordinator closes what is left and exits (30 s, Kubernetes' default grace period)
 */
public record LimitsConfig(
    long maxHeaderBytes,
    int maxHeaderCount,
    long maxBodyBytes,
    long minBodyBytes,
    Duration bodyRateWindow,
    Duration headerReadTimeout,
    Duration clientIdleTimeout,
    int maxClientConnections,
    Duration upstreamConnectTimeout,
    Duration upstreamIdleTimeout,
    int maxConnectionsPerEndpoint,
    int maxPendingPerEndpoint,
    Duration drainTimeout) {

  public static final LimitsConfig DEFAULT = new LimitsConfig(
      32L << 10,
      100,
      100L << 20,
      1L << 10,
      Duration.ofSeconds(5),
      Duration.ofSeconds(10),
      Duration.ofSeconds(60),
      10_000,
      Duration.ofSeconds(5),
      Duration.ofSeconds(30),
      128,
      1024,
      Duration.ofSeconds(30));
}
