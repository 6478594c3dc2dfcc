package io.trafficcoordinator.cli;

import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.server.Coordinator;
import io.trafficcoordinator.server.CoordinatorOptions;
import io.trafficcoordinator.server.ListenerBindException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starting and stopping a coordinator from a command, with one-line errors. */
final class Running {

  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private Running() {}

  /** Starts and waits until both listeners are bound; null after printing why it could not start. */
  static Coordinator start(CoordinatorConfig config) throws InterruptedException {
    try {
      return Coordinator.start(config, CoordinatorOptions.defaults()).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String message = cause instanceof ListenerBindException ? cause.getMessage() : "cannot start: " + cause;
      System.err.println("coordinator: " + message);
      return null;
    } catch (TimeoutException e) {
      System.err.println("coordinator: did not start within 60 s");
      return null;
    }
  }

  /** Stops and waits, bounded. */
  static void stop(Coordinator coordinator) {
    try {
      coordinator.stop().toCompletionStage().toCompletableFuture().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      System.err.println("coordinator: stop did not complete cleanly: " + e);
    }
  }
}
