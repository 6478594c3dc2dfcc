package io.trafficcoordinator.security;

import java.util.Locale;

/** What a caller of the control API may do; each role may do everything the ones below it may. */
public enum Role {
  /** Reads status, configuration and analytics. */
  VIEWER,
  /** Also runs coordinations. */
  OPERATOR,
  /** Also changes the configuration and reads the audit log. */
  ADMIN;

  public boolean allows(Role needed) {
    return ordinal() >= needed.ordinal();
  }

  public String slug() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code text} (case-insensitive), or null for anything else. */
  public static Role parse(String text) {
    for (Role role : values()) {
      if (role.slug().equalsIgnoreCase(text)) {
        return role;
      }
    }
    return null;
  }
}
