package io.trafficcoordinator.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/, /",
      "/api/users, /api/users",
      "/a/b/../c, /a/c",
      "/a/./b, /a/b",
      "/a/b/.., /a/",
      "/a/., /a/",
      "/., /",
      "/a/.., /",
      "/%61dmin, /admin",
      "/%7Euser, /~user",
      "/a%2fb, /a%2Fb",
      "/a%2Fb/../c, /c",
      "/%2e%2E/x/../y, ",
      "/public/%2e%2e/admin, /admin",
      "/a//b, /a//b",
      "/.hidden/x, /.hidden/x",
      "/a/...b, /a/...b",
  })
  void normalises(String raw, String expected) {
    assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/..", "/../etc/passwd", "/a/../..", "/%2e%2e/x", "/a/%2E%2E/%2e%2e/b", "/%zz", "/%4", "api", ""})
  void refusesPathsThatClimbAboveTheRootOrAreMalformed(String raw) {
    assertThat(PathNormalizer.normalize(raw)).isNull();
  }
}
