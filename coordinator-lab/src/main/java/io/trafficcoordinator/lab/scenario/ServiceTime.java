package io.trafficcoordinator.lab.scenario;

import java.util.SplittableRandom;

/** How long an endpoint takes to serve one request, as a distribution to draw from. */
public sealed interface ServiceTime {

  /** One service time in nanoseconds, at least 1. */
  long sampleNanos(SplittableRandom random);

  /** The mean, for capacity arithmetic. */
  double meanNanos();

  /** Exponential with the given mean: memoryless, the M/M/c queueing classic. */
  record Exponential(double meanNanos) implements ServiceTime {
    @Override
    public long sampleNanos(SplittableRandom random) {
      return Math.max(1L, (long) (-meanNanos * Math.log(1.0 - random.nextDouble())));
    }
  }

  /** Log-normal by its median and the standard deviation of the log: the shape real latencies have. */
  record LogNormal(double medianNanos, double sigma) implements ServiceTime {
    @Override
    public long sampleNanos(SplittableRandom random) {
      return Math.max(1L, (long) (medianNanos * Math.exp(sigma * gaussian(random))));
    }

    @Override
    public double meanNanos() {
      return medianNanos * Math.exp(sigma * sigma / 2);
    }

    private static double gaussian(SplittableRandom random) {
      // Box-Muller; one of the pair is enough here.
      double u = 1.0 - random.nextDouble();
      double v = random.nextDouble();
      return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
  }

  /** Always the same time. */
  record Constant(double meanNanos) implements ServiceTime {
    @Override
    public long sampleNanos(SplittableRandom random) {
      return Math.max(1L, (long) meanNanos);
    }
  }

  /** Drawn uniformly from measured samples, for replaying a fleet's real latency profile. */
  record Empirical(long[] samplesNanos) implements ServiceTime {
    @Override
    public long sampleNanos(SplittableRandom random) {
      return Math.max(1L, samplesNanos[random.nextInt(samplesNanos.length)]);
    }

    @Override
    public double meanNanos() {
      double sum = 0;
      for (long s : samplesNanos) {
        sum += s;
      }
      return sum / samplesNanos.length;
    }
  }
}
