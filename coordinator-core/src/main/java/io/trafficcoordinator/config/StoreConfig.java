package io.trafficcoordinator.config;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import java.time.Duration;

/**
 * Where configuration versions and the audit log are kept. Read at start only.
 *
 * @param type {@code sqlite} (default: a file, durable) or {@code memory} (nothing survives a
 *     restart; the configuration file is then the only truth)
 * @param path the SQLite file (default {@code data/coordinator.db}, relative to the working directory)
 * @param auditRetention audit entries older than this are deleted (default 90 days)
 */
public record StoreConfig(String type, String path, Duration auditRetention) {

  public static final StoreConfig DEFAULT = new StoreConfig("sqlite", "data/coordinator.db", Duration.ofDays(90));

  public boolean inMemory() {
    return "memory".equals(type);
  }

  static StoreConfig bind(ConfigNode node) {
    if (!node.isPresent()) {
      return DEFAULT;
    }
    ConfigObject o = node.asObject();
    String type = o.string("type", DEFAULT.type);
    if (!"sqlite".equals(type) && !"memory".equals(type)) {
      o.field("type").problem("must be sqlite or memory, got '" + type + "'");
    }
    String path = o.string("path", DEFAULT.path);
    if (path != null && path.isBlank()) {
      o.field("path").problem("must not be empty");
    }
    Duration retention = o.duration("auditRetention", DEFAULT.auditRetention, Duration.ofHours(1), Duration.ofDays(3650));
    o.finish();
    return new StoreConfig(type, path, retention);
  }
}
