package io.trafficcoordinator.configfile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.trafficcoordinator.config.ConfigBinder;
import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.config.tree.ConfigProblem;
import io.trafficcoordinator.config.tree.InvalidConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads a YAML configuration file into a validated {@link CoordinatorConfig}. Blocking file I/O. */
public final class ConfigFile {

  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().build())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** Larger files are refused before parsing: a configuration is never this big. */
  static final long MAX_BYTES = 16L << 20;

  private ConfigFile() {}

  /** Loads and validates {@code file}; every problem, including unreadable or malformed YAML, is reported. */
  public static CoordinatorConfig load(Path file) throws InvalidConfigException {
    return ConfigBinder.bind(read(file));
  }

  /** Reads and validates {@code file}, returning its tree (what the coordinator starts from and stores). */
  public static Object readValid(Path file) throws InvalidConfigException {
    Object tree = read(file);
    ConfigBinder.bind(tree);
    return tree;
  }

  /** A tree as YAML text. */
  public static String toYaml(Object tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a configuration tree: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads and parses {@code file} without binding it. */
  public static Object read(Path file) throws InvalidConfigException {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw invalid("the file is larger than " + (MAX_BYTES >> 20) + " MiB");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw invalid("no such file: " + file);
    } catch (IOException e) {
      throw invalid("cannot read " + file + ": " + e.getMessage());
    }
    return parse(text);
  }

  /** Parses YAML text into maps, lists and scalars; duplicate keys are errors. */
  public static Object parse(String text) throws InvalidConfigException {
    try {
      return YAML.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw invalid("not valid YAML: " + where + e.getOriginalMessage());
    }
  }

  private static InvalidConfigException invalid(String message) {
    return new InvalidConfigException(List.of(new ConfigProblem("", message)));
  }
}
