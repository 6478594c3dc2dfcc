package io.trafficcoordinator.net;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts a request path in the form routes are matched against (RFC 3986 §6.2.2):
 * percent-encoded unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) are decoded, other
 * percent-encodings get upper-case hex, and dot segments are removed as §5.2.4 describes — except
 * that a path whose {@code ..} would climb above the root is refused instead of clamped, because
 * such a path is an attack or a bug, never a request a user meant.
 *
 * <p>Encoded slashes ({@code %2F}) stay encoded: they are data, not separators. Without the
 * decoding, {@code /%61dmin} would slip past a route on {@code /admin}; without the dot-segment
 * removal, {@code /public/../admin} would.
 */
public final class PathNormalizer {

  private PathNormalizer() {}

  /**
   * The normal form of {@code rawPath} (which starts with '/' and has no query), or null when it
   * climbs above the root, holds a malformed percent-encoding, or does not start with '/'.
   */
  public static String normalize(String rawPath) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      return null;
    }
    if (rawPath.indexOf('%') < 0 && !rawPath.contains("/.")) {
      return rawPath;
    }
    String decoded = decodeUnreserved(rawPath);
    return decoded == null ? null : removeDotSegments(decoded);
  }

  private static String decodeUnreserved(String path) {
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (i + 2 >= path.length()) {
        return null;
      }
      int hi = Character.digit(path.charAt(i + 1), 16);
      int lo = Character.digit(path.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      char decoded = (char) (hi * 16 + lo);
      if (isUnreserved(decoded)) {
        out.append(decoded);
      } else {
        out.append('%').append(Character.toUpperCase(path.charAt(i + 1))).append(Character.toUpperCase(path.charAt(i + 2)));
      }
      i += 2;
    }
    return out.toString();
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static String removeDotSegments(String path) {
    String[] segments = path.substring(1).split("/", -1);
    List<String> kept = new ArrayList<>(segments.length);
    boolean endsAsDirectory = false;
    for (String segment : segments) {
      endsAsDirectory = false;
      if (segment.equals(".")) {
        endsAsDirectory = true;
      } else if (segment.equals("..")) {
        if (kept.isEmpty()) {
          return null;
        }
        kept.remove(kept.size() - 1);
        endsAsDirectory = true;
      } else {
        kept.add(segment);
      }
    }
    if (kept.isEmpty()) {
      return "/";
    }
    String joined = "/" + String.join("/", kept);
    return endsAsDirectory ? joined + "/" : joined;
  }
}
