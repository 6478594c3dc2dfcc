package io.trafficcoordinator.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Stops the process on Ctrl-C or SIGTERM by running a stop action and exiting with status 0.
 *
 * <p>Signal handlers rather than a shutdown hook: a hook cannot choose the exit status (a JVM ends
 * with 130 or 143 on these signals) and must not call {@code System.exit}, which would deadlock.
 * A second signal while stopping exits at once.
 */
final class Shutdown {

  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();

  /** Installs handlers that run {@code stop} (blocking until done) and then exit 0. */
  void onSignals(Runnable stop) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(name), signal -> {
          if (!stopping.compareAndSet(false, true)) {
            Runtime.getRuntime().halt(130);
          }
          Thread stopper = new Thread(() -> {
            try {
              stop.run();
            } finally {
              stopped.countDown();
              System.exit(0);
            }
          }, "coordinator-shutdown");
          stopper.start();
        });
      } catch (IllegalArgumentException unsupported) {
        // No such signal here (TERM on some platforms): the JVM's default handling applies.
      }
    }
  }

  /** Blocks the calling thread until the process stops. */
  void awaitStop() throws InterruptedException {
    stopped.await();
  }
}
