package io.trafficcoordinator.versioning;

import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.config.ListenerConfig;
import io.trafficcoordinator.config.UpstreamTlsConfig;
import io.trafficcoordinator.config.tree.ConfigProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that the files a configuration names (TLS certificates and keys) exist and can be read,
 * before they are needed: a missing CA bundle would otherwise fail every request to https endpoints
 * and get them ejected for a local mistake, and a missing listener key would fail the start with a
 * bare path. Not part of {@code validate}, which checks a file that may be meant for another machine.
 */
public final class ConfigFiles {

  private ConfigFiles() {}

  /** Problems with the TLS files of the listeners (checked at start). */
  public static List<ConfigProblem> listenerProblems(CoordinatorConfig config) {
    List<ConfigProblem> problems = new ArrayList<>();
    listener(config.listeners().data(), "listeners.data.tls", problems);
    listener(config.listeners().control(), "listeners.control.tls", problems);
    return problems;
  }

  /** Problems with the files of {@code proxy.upstreamTls} (checked at start and on every change). */
  public static List<ConfigProblem> upstreamProblems(CoordinatorConfig config) {
    List<ConfigProblem> problems = new ArrayList<>();
    UpstreamTlsConfig tls = config.proxy().upstreamTls();
    readable(tls.caFile(), "proxy.upstreamTls.caFile", problems);
    readable(tls.certFile(), "proxy.upstreamTls.certFile", problems);
    readable(tls.keyFile(), "proxy.upstreamTls.keyFile", problems);
    return problems;
  }

  private static void listener(ListenerConfig listener, String path, List<ConfigProblem> problems) {
    if (listener.tls() != null) {
      readable(listener.tls().certFile(), path + ".certFile", problems);
      readable(listener.tls().keyFile(), path + ".keyFile", problems);
    }
  }

  private static void readable(String file, String path, List<ConfigProblem> problems) {
    if (file != null && !Files.isReadable(Path.of(file))) {
      problems.add(new ConfigProblem(path, (Files.exists(Path.of(file)) ? "cannot be read: " : "no such file: ") + file));
    }
  }
}
