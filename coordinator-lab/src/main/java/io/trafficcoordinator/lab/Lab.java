package io.trafficcoordinator.lab;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.catalog.StrategyCatalog;
import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.trafficcoordinator.lab.baseline.LeastRequestStrategy;
import io.trafficcoordinator.lab.baseline.RandomStrategy;
import io.trafficcoordinator.lab.report.ScenarioResult;
import io.trafficcoordinator.lab.report.StrategyResult;
import io.trafficcoordinator.lab.scenario.Scenario;
import io.trafficcoordinator.lab.scenario.ScenarioReader;
import io.trafficcoordinator.lab.sim.Recorder;
import io.trafficcoordinator.lab.sim.Simulation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Runs scenarios through every policy: the eight strategies of the catalog, exactly as the proxy
 * builds them, and the two reference policies {@code random} and {@code least-request}.
 */
public final class Lab {

  /** The built-in scenarios, in report order; each is {@code /scenarios/NAME.yaml} in this jar. */
  public static final List<String> BUILT_IN = List.of(
      "homogeneous", "heterogeneous", "slow-node", "periodic-stalls", "zone-outage", "ramp-to-90", "cost-skewed");

  /** Every policy a scenario is run with: the strategies, then the reference policies. */
  public static final List<String> POLICIES = Stream.concat(StrategyCatalog.names().stream(),
      Stream.of(RandomStrategy.NAME, LeastRequestStrategy.NAME)).toList();

  private static final double[] CDF_PERCENTILES = {
    0.1, 1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 99.5, 99.8, 99.9, 99.95, 99.99, 100
  };

  private Lab() {}

  /** A built-in scenario by name. */
  public static Scenario builtIn(String name) {
    if (!BUILT_IN.contains(name)) {
      throw new IllegalArgumentException("no built-in scenario '" + name + "'; there are: " + String.join(", ", BUILT_IN));
    }
    try (InputStream in = Lab.class.getResourceAsStream("/scenarios/" + name + ".yaml")) {
      return ScenarioReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InvalidConfigException e) {
      throw new IllegalStateException("built-in scenario " + name + " is invalid: " + e.getMessage(), e);
    }
  }

  /** One policy through one scenario. */
  public static PolicyRun run(Scenario scenario, long seed, String policy) {
    Simulation simulation = new Simulation(scenario, seed, context -> create(policy, scenario, context));
    Recorder recorder = simulation.run();
    boolean priced = scenario.endpoints().stream().anyMatch(e -> e.cost() > 0);
    return new PolicyRun(policy, recorder, simulation.measuredSeconds(), priced);
  }

  /** Every policy through one scenario, with the same arrivals for each. */
  public static ScenarioResult runAll(Scenario scenario, long seed, List<String> policies) {
    List<StrategyResult> results = new ArrayList<>();
    for (String policy : policies) {
      results.add(run(scenario, seed, policy).result());
    }
    return new ScenarioResult(scenario.name(), scenario.description(), seed, scenario.requests(), results);
  }

  static Strategy create(String policy, Scenario scenario, BalancingContext context) {
    return switch (policy) {
      case RandomStrategy.NAME -> new RandomStrategy(context.clock(), context.rngSource());
      case LeastRequestStrategy.NAME -> new LeastRequestStrategy(context.clock(), context.rngSource());
      default -> {
        if (!scenario.strategies().containsKey(policy)) {
          throw new IllegalArgumentException("no policy '" + policy + "'; there are: " + String.join(", ", POLICIES));
        }
        yield scenario.strategies().get(policy).create(context);
      }
    };
  }

  /** What one policy's run measured. */
  public record PolicyRun(String policy, Recorder recorder, double measuredSeconds, boolean priced) {

    public double p99Millis() {
      return recorder.latency().getValueAtPercentile(99) / 1e6;
    }

    public StrategyResult result() {
      Histogram h = recorder.latency();
      double[] millis = new double[CDF_PERCENTILES.length];
      double[] fractions = new double[CDF_PERCENTILES.length];
      for (int i = 0; i < CDF_PERCENTILES.length; i++) {
        millis[i] = h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(CDF_PERCENTILES[i]) / 1e6;
        fractions[i] = CDF_PERCENTILES[i] / 100;
      }
      return new StrategyResult(policy, recorder.requests(), recorder.errors(), recorder.successes() / measuredSeconds,
          h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6,
          priced ? recorder.costPerThousand() : Double.NaN, recorder.localShare(), millis, fractions);
    }
  }
}
