package io.trafficcoordinator.http;

/**
 * Every error the data plane answers with itself, as an RFC 9457 {@code application/problem+json}
 * body whose {@code type} is {@code urn:traffic-coordinator:problem:<slug>}. The list is the
 * public contract listed in docs/PROXY.md ("Errors the proxy answers itself").
 */
public enum ProblemType {
  MALFORMED_REQUEST(400, "malformed-request", "Malformed request"),
  BAD_PATH(400, "bad-path", "Malformed request path"),
  UNAUTHENTICATED(401, "unauthenticated", "A valid bearer token is required"),
  FORBIDDEN(403, "forbidden", "The token does not allow this route"),
  NO_ROUTE(404, "no-route", "No route matches the request"),
  HEADER_READ_TIMEOUT(408, "header-read-timeout", "Request headers not received in time"),
  REQUEST_BODY_TIMEOUT(408, "request-body-timeout", "Request body not received in time"),
  BODY_TOO_LARGE(413, "body-too-large", "Request body too large"),
  URI_TOO_LONG(414, "uri-too-long", "Request line too long"),
  RATE_LIMITED(429, "rate-limited", "Too many requests"),
  HEADERS_TOO_LARGE(431, "headers-too-large", "Request header section too large"),
  HTTP_VERSION_NOT_SUPPORTED(505, "http-version-not-supported", "HTTP version not supported"),
  UNSUPPORTED_TRANSFER_CODING(501, "unsupported-transfer-coding", "Transfer coding not supported"),
  UPSTREAM_CONNECT_FAILED(502, "upstream-connect-failed", "Could not connect to the endpoint"),
  UPSTREAM_FAILED(502, "upstream-failed", "The endpoint failed before responding"),
  UPSTREAM_ANSWER_CUT(502, "upstream-answer-cut", "The endpoint cut its answer before its end"),
  NO_ENDPOINT(503, "no-endpoint", "No endpoint available"),
  /** Shed by the service's adaptive concurrency limit; answered with {@code Retry-After: 1}. */
  OVERLOADED(503, "overloaded", "The service is at its concurrency limit"),
  ENDPOINT_QUEUE_FULL(503, "endpoint-queue-full", "The endpoint's connection queue is full"),
  ENDPOINT_QUEUE_TIMEOUT(503, "endpoint-queue-timeout", "No connection to the endpoint became free in time"),
  UPSTREAM_TIMEOUT(504, "upstream-timeout", "The endpoint did not respond in time");

  private static final String PREFIX = "urn:traffic-coordinator:problem:";

  private final int status;
  private final String slug;
  private final String title;

  ProblemType(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  /** The short name, used as a metric label and in logs. */
  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public String uri() {
    return PREFIX + slug;
  }
}
