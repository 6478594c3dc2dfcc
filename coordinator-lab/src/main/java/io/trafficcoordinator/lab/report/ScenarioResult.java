package io.trafficcoordinator.lab.report;

import java.util.List;

/**
 * The outcome of one scenario: every strategy's result, in the order they are reported.
 *
 * @param scenario the scenario's name
 * @param description a one-line description of the scenario
 * @param seed the random seed the simulation ran with
 * @param requestsPerStrategy requests offered to each strategy
 * @param strategies one result per strategy
 */
public record ScenarioResult(
    String scenario,
    String description,
    long seed,
    long requestsPerStrategy,
    List<StrategyResult> strategies) {}
