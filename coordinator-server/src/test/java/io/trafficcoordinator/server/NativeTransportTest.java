package io.trafficcoordinator.server;

import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** On Linux x86_64 the coordinator runs on Netty's native epoll transport, not NIO. */
class NativeTransportTest {

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "x86_64"})
  void epollIsActiveOnLinuxX86() throws Exception {
    try (ProxyFixture proxy = ProxyFixture.start(map())) {
      assertThat(proxy.coordinator().vertx().unavailableNativeTransportCause()).isNull();
      assertThat(proxy.coordinator().vertx().isNativeTransportEnabled()).isTrue();
    }
  }
}
