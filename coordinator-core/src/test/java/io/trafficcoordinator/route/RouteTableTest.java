package io.trafficcoordinator.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.config.AnswerHold;
import io.trafficcoordinator.config.RouteConfig;
import io.trafficcoordinator.retry.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private static RouteConfig route(String name, String prefix, String host, Set<String> methods, String rewrite) {
    return new RouteConfig(name, prefix, host, methods, "svc", rewrite, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO, null, null, RetryConfig.OFF,
        AnswerHold.DEFAULT);
  }

  private static String nameOf(Route route) {
    return route == null ? null : route.name();
  }

  @Test
  void prefixMatchesOnlyAtSegmentBoundaries() {
    RouteTable table = new RouteTable(List.of(route("api", "/api", null, Set.of(), null)));

    assertThat(nameOf(table.match("GET", null, "/api"))).isEqualTo("api");
    assertThat(nameOf(table.match("GET", null, "/api/"))).isEqualTo("api");
    assertThat(nameOf(table.match("GET", null, "/api/x/y"))).isEqualTo("api");
    assertThat(table.match("GET", null, "/apix")).isNull();
    assertThat(table.match("GET", null, "/ap")).isNull();
  }

  @Test
  void longestPrefixWinsThenDeclarationOrder() {
    RouteTable table = new RouteTable(List.of(
        route("root", "/", null, Set.of(), null),
        route("api", "/api", null, Set.of(), null),
        route("users-first", "/api/users", null, Set.of(), null),
        route("users-second", "/api/users", null, Set.of(), null)));

    assertThat(nameOf(table.match("GET", null, "/api/users/7"))).isEqualTo("users-first");
    assertThat(nameOf(table.match("GET", null, "/api/orders"))).isEqualTo("api");
    assertThat(nameOf(table.match("GET", null, "/other"))).isEqualTo("root");
  }

  @Test
  void hostAndMethodNarrowAMatchAndFallThroughToShorterPrefixes() {
    RouteTable table = new RouteTable(List.of(
        route("any", "/", null, Set.of(), null),
        route("writes", "/api", null, Set.of("POST", "PUT"), null),
        route("exact-host", "/api", "api.example.com", Set.of(), null),
        route("wildcard-host", "/api", "*.example.org", Set.of(), null)));

    assertThat(nameOf(table.match("POST", "other", "/api/x"))).isEqualTo("writes");
    assertThat(nameOf(table.match("GET", "API.Example.com:8080", "/api/x"))).isEqualTo("exact-host");
    assertThat(nameOf(table.match("GET", "eu.example.org", "/api/x"))).isEqualTo("wildcard-host");
    assertThat(nameOf(table.match("GET", "example.org", "/api/x"))).isEqualTo("any");
    assertThat(nameOf(table.match("GET", null, "/api/x"))).isEqualTo("any");
  }

  @Test
  void rewriteReplacesTheMatchedPrefix() {
    Route toRoot = new Route(route("r", "/api", null, Set.of(), "/"), null);
    Route toV2 = new Route(route("r", "/api", null, Set.of(), "/v2"), null);
    Route fromRoot = new Route(route("r", "/", null, Set.of(), "/base"), null);
    Route none = new Route(route("r", "/api", null, Set.of(), null), null);

    assertThat(toRoot.rewrite("/api")).isEqualTo("/");
    assertThat(toRoot.rewrite("/api/users/7")).isEqualTo("/users/7");
    assertThat(toV2.rewrite("/api")).isEqualTo("/v2");
    assertThat(toV2.rewrite("/api/users")).isEqualTo("/v2/users");
    assertThat(fromRoot.rewrite("/x")).isEqualTo("/base/x");
    assertThat(none.rewrite("/api/users")).isEqualTo("/api/users");
  }

  @Test
  void bareHostDropsPortAndCase() {
    assertThat(RouteTable.bareHost("Example.COM:443")).isEqualTo("example.com");
    assertThat(RouteTable.bareHost("[::1]:8080")).isEqualTo("[::1]");
    assertThat(RouteTable.bareHost("[::1]")).isEqualTo("[::1]");
    assertThat(RouteTable.bareHost("")).isNull();
  }
}
