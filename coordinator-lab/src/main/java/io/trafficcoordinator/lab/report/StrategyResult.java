package io.trafficcoordinator.lab.report;

/**
 * One policy's outcome in one scenario.
 *
 * @param strategy the strategy's name, e.g. {@code "round-robin"}
 * @param requests requests offered
 * @param errors requests that failed
 * @param throughputPerSecond successful requests per simulated second
 * @param p50Millis median latency of all requests, a failed one counted at the scenario's timeout
 * @param p99Millis 99th percentile latency, counted the same way
 * @param p999Millis 99.9th percentile latency, counted the same way
 * @param costPer1k cost per 1,000 requests; NaN when the scenario has no costs
 * @param localShare share of requests served in the caller's zone in [0,1]; NaN when the scenario
 *     has no client zones
 * @param cdfMillis latency values (ms), ascending, for the CDF curve
 * @param cdfFractions cumulative fraction in (0,1] for each value, ascending, same length
 */
public record StrategyResult(
    String strategy,
    long requests,
    long errors,
    double throughputPerSecond,
    double p50Millis,
    double p99Millis,
    double p999Millis,
    double costPer1k,
    double localShare,
    double[] cdfMillis,
    double[] cdfFractions) {}
