package io.trafficcoordinator.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about this build (filled in by Maven): its version and the versions of bundled web assets. */
public final class BuildInfo {

  private static final Properties PROPERTIES = load();

  private BuildInfo() {}

  public static String version() {
    return PROPERTIES.getProperty("version", "unknown");
  }

  /** The swagger-ui WebJar's version: the folder its files are in. */
  public static String swaggerUiVersion() {
    return PROPERTIES.getProperty("swaggerUi", "unknown");
  }

  private static Properties load() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/coordinator-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // Unknown versions are reported as such.
    }
    return properties;
  }
}
