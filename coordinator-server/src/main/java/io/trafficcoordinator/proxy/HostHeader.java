package io.trafficcoordinator.proxy;

/**
 * The syntax of a Host header's value (RFC 9112 §3.2, RFC 3986 §3.2.2): {@code uri-host [":" port]},
 * where the host is a bracketed IPv6 literal or a reg-name (which covers IPv4 and DNS names), and
 * the port is 1 to 5 digits up to 65535. Stricter than the RFC in two places a gateway does not
 * need: an empty value and an empty port after the colon are refused.
 */
final class HostHeader {

  private HostHeader() {}

  static boolean isValid(String value) {
    if (value.isEmpty()) {
      return false;
    }
    int hostEnd;
    if (value.charAt(0) == '[') {
      int close = value.indexOf(']');
      if (close < 2 || !isIpLiteral(value, 1, close)) {
        return false;
      }
      hostEnd = close + 1;
    } else {
      int colon = value.indexOf(':');
      hostEnd = colon < 0 ? value.length() : colon;
      if (hostEnd == 0 || !isRegName(value, 0, hostEnd)) {
        return false;
      }
    }
    return hostEnd == value.length() || value.charAt(hostEnd) == ':' && isPort(value, hostEnd + 1);
  }

  private static boolean isIpLiteral(String value, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isRegName(String value, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (c == '%') {
        if (i + 2 >= to || !isHex(value.charAt(i + 1)) || !isHex(value.charAt(i + 2))) {
          return false;
        }
        i += 2;
        continue;
      }
      boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~';
      if (!unreserved && "!$&'()*+,;=".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPort(String value, int from) {
    int digits = value.length() - from;
    if (digits < 1 || digits > 5) {
      return false;
    }
    int port = 0;
    for (int i = from; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
