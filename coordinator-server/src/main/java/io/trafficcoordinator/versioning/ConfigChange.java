package io.trafficcoordinator.versioning;

import java.util.List;

/**
 * The outcome of applying a configuration.
 *
 * @param version the version it became
 * @param deferred settings that changed but only take effect after a restart, one sentence each
 */
public record ConfigChange(long version, List<String> deferred) {

  public ConfigChange {
    deferred = List.copyOf(deferred);
  }
}
