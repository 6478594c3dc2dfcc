package io.trafficcoordinator.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version this build was made from (filled in by Maven). */
public final class BuildInfo {

  private static final String VERSION = load();

  private BuildInfo() {}

  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("/coordinator-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
