package io.trafficcoordinator.telemetry;

/**
 * What happened to one proxied request, reported once when it ends.
 *
 * @param route route name, or null when none matched
 * @param service service name, or null
 * @param endpoint endpoint id, or null when none was chosen
 * @param status the status sent to the client; 499 when the client went away first
 * @param problem the slug of the proxy's own error answer, or null when the endpoint answered
 * @param requestBytes body bytes read from the client
 * @param responseBytes body bytes written to the client
 * @param tries how many endpoints the request was sent to: 0 when none was chosen, more than 1
 *     when it was retried
 */
public record ExchangeSummary(
    String method,
    String path,
    String route,
    String service,
    String endpoint,
    int status,
    String problem,
    long requestBytes,
    long responseBytes,
    long durationNanos,
    String requestId,
    String clientAddress,
    int tries) {}
