package io.trafficcoordinator.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is
 * a block of one. An IPv4 block never contains an IPv6 address and the other way round.
 */
public final class Cidr {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

  private final byte[] network;
  private final int prefixLength;
  private final String text;

  private Cidr(byte[] network, int prefixLength, String text) {
    this.network = network;
    this.prefixLength = prefixLength;
    this.text = text;
  }

  /**
   * Parses a block written with a numeric address (names are refused: no DNS lookups here).
   *
   * @throws IllegalArgumentException with a message fit for a user
   */
  public static Cidr parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] address = parseNumericAddress(addressText);
    if (address == null) {
      throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
    }
    int maxBits = address.length * 8;
    int prefix = maxBits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > maxBits) {
        throw new IllegalArgumentException("prefix length must be between 0 and " + maxBits + ": '" + text + "'");
      }
    }
    return new Cidr(mask(address, prefix), prefix, trimmed);
  }

  /** Whether {@code address} (numeric, IPv4 or IPv6) lies in this block; false for anything unparsable. */
  public boolean contains(String address) {
    byte[] bytes = parseNumericAddress(address);
    return bytes != null && contains(bytes);
  }

  public boolean contains(byte[] address) {
    return address.length == network.length && Arrays.equals(mask(address, prefixLength), network);
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] masked = address.clone();
    for (int i = 0; i < masked.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
      masked[i] &= (byte) (0xFF << (8 - bitsHere));
    }
    return masked;
  }

  /** Numeric IPv4 or IPv6 text to bytes without any name lookup; null when it is not numeric. */
  public static byte[] parseNumericAddress(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean ipv6 = bare.indexOf(':') >= 0;
    if (ipv6 ? !IPV6.matcher(bare).matches() : !IPV4.matcher(bare).matches()) {
      return null;
    }
    try {
      // With a numeric literal, InetAddress.getByName parses and never resolves.
      return InetAddress.getByName(bare).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr other && other.prefixLength == prefixLength && Arrays.equals(other.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefixLength;
  }
}
