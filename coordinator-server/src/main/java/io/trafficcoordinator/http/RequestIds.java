package io.trafficcoordinator.http;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code X-Request-Id} of a request: the client's own when it is 1-128 characters of
 * {@code [A-Za-z0-9._-]} (anything else could smuggle text into logs or headers), otherwise a new
 * random one of 32 hex digits.
 */
public final class RequestIds {

  /** The header's name, in lower case as HTTP/2 and our lookups want it. */
  public static final String HEADER = "x-request-id";

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  /** {@code offered} if it is acceptable, else a fresh id. */
  public static String acceptOrGenerate(String offered) {
    return isAcceptable(offered) ? offered : generate();
  }

  public static boolean isAcceptable(String id) {
    if (id == null || id.isEmpty() || id.length() > 128) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** 128 random bits as hex; random enough to be unique, not meant to be secret. */
  public static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[32];
    long high = random.nextLong();
    long low = random.nextLong();
    for (int i = 0; i < 16; i++) {
      out[15 - i] = HEX[(int) (high >>> (4 * i)) & 0xF];
      out[31 - i] = HEX[(int) (low >>> (4 * i)) & 0xF];
    }
    return new String(out);
  }
}
