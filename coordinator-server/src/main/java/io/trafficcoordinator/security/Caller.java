package io.trafficcoordinator.security;

/**
 * Who is calling the control API: a verified token's subject and the highest role it carries.
 *
 * @param role null when the token carries no role this API knows
 */
public record Caller(String subject, Role role) {}
