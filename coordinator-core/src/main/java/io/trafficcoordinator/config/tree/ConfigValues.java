package io.trafficcoordinator.config.tree;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The text forms of durations ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}) and sizes ({@code 64KiB}). */
public final class ConfigValues {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,15})(B|KiB|MiB|GiB)?");

  /** The longest timeout any setting accepts. */
  public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

  private ConfigValues() {}

  /** Parses a duration; throws IllegalArgumentException with a message fit for a user. */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (write a whole number and a unit: ms, s, m, h or d, for example 250ms or 30s)");
    }
    long amount = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(amount);
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      case "h":
        return Duration.ofHours(amount);
      default:
        return Duration.ofDays(amount);
    }
  }

  /** Parses a size in bytes; throws IllegalArgumentException with a message fit for a user. */
  public static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a size: '" + text + "' (write a whole number of bytes or a number with B, KiB, MiB or GiB, for example 64KiB)");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    int shift = switch (unit) {
      case "KiB" -> 10;
      case "MiB" -> 20;
      case "GiB" -> 30;
      default -> 0;
    };
    if (amount > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("size too large: '" + text + "'");
    }
    return amount << shift;
  }

  /** The shortest exact text form of a duration, as the parser reads it. */
  public static String formatDuration(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 3_600_000 == 0 && millis != 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis != 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }

  /** The shortest exact text form of a size, as the parser reads it. */
  public static String formatSize(long bytes) {
    String[] units = {"GiB", "MiB", "KiB"};
    int[] shifts = {30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes != 0 && bytes % unit == 0) {
        return (bytes / unit) + units[i];
      }
    }
    return bytes + "B";
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
