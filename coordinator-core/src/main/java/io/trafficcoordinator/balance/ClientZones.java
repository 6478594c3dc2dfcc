package io.trafficcoordinator.balance;

import io.trafficcoordinator.net.Cidr;
import java.util.List;

/**
 * How the proxy learns a caller's zone: a request header first, else the first CIDR block that
 * holds the client's address. Immutable.
 *
 * @param header the header naming the zone, for example {@code X-Client-Zone}; null when unused
 * @param blocks address blocks and the zone each belongs to, in configuration order
 */
public record ClientZones(String header, List<Block> blocks) {

  /** One address block of a zone. */
  public record Block(Cidr cidr, String zone) {}

  /** For strategies that do not route by zone. */
  public static final ClientZones NONE = new ClientZones(null, List.of());

  public ClientZones {
    blocks = List.copyOf(blocks);
  }

  /** Whether a strategy asked for zones at all; the proxy skips the lookup otherwise. */
  public boolean isUsed() {
    return header != null || !blocks.isEmpty();
  }

  /**
   * The caller's zone from the header's value (null when absent) or the client's numeric address;
   * null when neither tells.
   */
  public String zoneOf(String headerValue, String clientAddress) {
    if (headerValue != null && !headerValue.isBlank()) {
      return headerValue.trim();
    }
    if (clientAddress != null && !blocks.isEmpty()) {
      byte[] address = Cidr.parseNumericAddress(clientAddress);
      if (address != null) {
        for (Block block : blocks) {
          if (block.cidr().contains(address)) {
            return block.zone();
          }
        }
      }
    }
    return null;
  }
}
