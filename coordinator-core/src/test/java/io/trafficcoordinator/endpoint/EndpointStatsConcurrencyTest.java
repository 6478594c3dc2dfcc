package io.trafficcoordinator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EndpointStatsConcurrencyTest {

  /**
   * Eight threads each start 20,000 requests on one endpoint and complete them: every third
   * fails, one in seven is ignored, and each completion is attempted twice (as a proxy racing a
   * timeout against a response would). No count may be lost or doubled.
   */
  @Test
  void countsStayExactUnderConcurrentCompletions() throws Exception {
    ManualClock clock = new ManualClock();
    Endpoint endpoint = TestEndpoints.endpoint("a", 1);
    int threads = 8;
    int perThread = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      results.add(pool.submit(() -> {
        start.await();
        long ok = 0;
        long failed = 0;
        for (int i = 0; i < perThread; i++) {
          Selection selection = Selection.start(endpoint, clock);
          clock.advanceNanos(1_000);
          if (i % 7 == 0) {
            selection.ignore();
            selection.succeed();
          } else if (i % 3 == 0) {
            selection.fail();
            selection.succeed();
            failed++;
          } else {
            selection.succeed();
            selection.fail();
            ok++;
          }
        }
        return new long[] {ok, failed};
      }));
    }
    start.countDown();
    long expectedOk = 0;
    long expectedFailed = 0;
    for (Future<long[]> result : results) {
      long[] counts = result.get(60, TimeUnit.SECONDS);
      expectedOk += counts[0];
      expectedFailed += counts[1];
    }
    pool.shutdown();

    EndpointStats stats = endpoint.stats();
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.totalSuccesses()).isEqualTo(expectedOk);
    assertThat(stats.totalFailures()).isEqualTo(expectedFailed);
    // All of it happened within well under one window (160,000 requests of 1 us each).
    long now = clock.nanoTime();
    assertThat(stats.windowSuccesses(now)).isEqualTo(expectedOk);
    assertThat(stats.windowFailures(now)).isEqualTo(expectedFailed);
    assertThat(stats.latencyNanos(now)).isPositive();
  }
}
