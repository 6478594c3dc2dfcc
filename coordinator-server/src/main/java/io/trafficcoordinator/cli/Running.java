package io.trafficcoordinator.cli;

import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.trafficcoordinator.server.Coordinator;
import io.trafficcoordinator.server.CoordinatorOptions;
import io.trafficcoordinator.server.ListenerBindException;
import io.trafficcoordinator.store.StoreException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starting and stopping a coordinator from a command, with one-line errors. */
final class Running {


  private Running() {}

  /** Starts and waits until both listeners are bound; null after printing why it could not start. */
  static Coordinator start(Object configTree) throws InterruptedException {
    try {
      return Coordinator.start(configTree, CoordinatorOptions.defaults()).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String message = cause instanceof ListenerBindException || cause instanceof StoreException
          ? cause.getMessage() : cause instanceof InvalidConfigException invalid
          ? "cannot start: " + String.join("; ", invalid.problems().stream().map(Object::toString).toList())
          : "cannot start: " + cause;
      System.err.println("coordinator: " + message);
      return null;
    } catch (TimeoutException e) {
      System.err.println("coordinator: did not start within 60 s");
      return null;
    }
  }

  /** Drains, stops and waits: the drain timeout, and ten seconds more for closing. */
  static void stop(Coordinator coordinator) {
    Duration wait = coordinator.currentConfig().limits().drainTimeout().plusSeconds(10);
    try {
      coordinator.stop().toCompletionStage().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      System.err.println("coordinator: stop did not complete cleanly: " + e);
    }
  }
}
