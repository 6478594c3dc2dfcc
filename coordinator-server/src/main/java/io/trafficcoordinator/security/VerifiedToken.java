package io.trafficcoordinator.security;

import java.util.List;
import java.util.Set;

/**
 * What a verified token says about its bearer.
 *
 * @param subject its {@code sub}
 * @param roles the strings of its roles claim, in order
 * @param scopes its OAuth scopes ({@code scope} or {@code scp})
 */
public record VerifiedToken(String subject, List<String> roles, Set<String> scopes) {

  public VerifiedToken {
    roles = List.copyOf(roles);
    scopes = Set.copyOf(scopes);
  }
}
