package io.trafficcoordinator.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void ipv4BlocksContainTheirAddressesOnly() {
    Cidr block = Cidr.parse("10.1.0.0/16");

    assertThat(block.contains("10.1.255.7")).isTrue();
    assertThat(block.contains("10.2.0.1")).isFalse();
    assertThat(block.contains("::ffff:10.1.0.1")).as("IPv4-mapped IPv6 is parsed to IPv4 by the JDK").isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").contains("203.0.113.9")).isTrue();
    assertThat(Cidr.parse("192.0.2.4").contains("192.0.2.4")).isTrue();
    assertThat(Cidr.parse("192.0.2.4").contains("192.0.2.5")).isFalse();
  }

  @Test
  void ipv6BlocksContainTheirAddressesOnly() {
    Cidr block = Cidr.parse("fd00::/8");

    assertThat(block.contains("fd12:3456::1")).isTrue();
    assertThat(block.contains("fe80::1")).isFalse();
    assertThat(block.contains("10.0.0.1")).isFalse();
    assertThat(Cidr.parse("2001:db8::/32").contains("[2001:db8::5]")).isTrue();
  }

  @Test
  void namesAndMalformedBlocksAreRefusedWithoutLookingAnythingUp() {
    assertThatThrownBy(() -> Cidr.parse("localhost")).hasMessageContaining("not an IP address or CIDR block");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("between 0 and 32");
    assertThatThrownBy(() -> Cidr.parse("fd00::/129")).hasMessageContaining("between 0 and 128");
    assertThat(Cidr.parseNumericAddress("example.com")).isNull();
    assertThat(Cidr.parseNumericAddress("999.1.1.1")).isNull();
  }
}
