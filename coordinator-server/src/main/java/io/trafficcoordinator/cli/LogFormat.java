package io.trafficcoordinator.cli;

/** How log lines look. */
enum LogFormat {
  text("logback.xml"),
  json("logback-json.xml");

  private final String resource;

  LogFormat(String resource) {
    this.resource = resource;
  }

  /** Points Logback at the JSON configuration when the arguments ask for it. */
  static void configureFrom(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String value = null;
      if (args[i].startsWith("--log-format=")) {
        value = args[i].substring("--log-format=".length());
      } else if (args[i].equals("--log-format") && i + 1 < args.length) {
        value = args[i + 1];
      }
      if (value != null && value.equalsIgnoreCase("json") && System.getProperty("logback.configurationFile") == null) {
        System.setProperty("logback.configurationFile", json.resource);
      }
    }
  }
}
