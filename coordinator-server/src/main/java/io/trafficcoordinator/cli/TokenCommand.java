package io.trafficcoordinator.cli;

import io.trafficcoordinator.config.tree.ConfigValues;
import io.trafficcoordinator.security.Role;
import io.trafficcoordinator.security.TokenIssuer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coordinator token}: mints an HS256 token for the control API. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = {"Print an HS256 bearer token for the control API, signed with the secret the coordinator's",
        "security.jwt key uses (the same file as its secretFile)."})
final class TokenCommand implements Callable<Integer> {

  @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, operator or admin.")
  String role;

  @Option(names = "--subject", required = true, paramLabel = "NAME", description = "Who the token is for (its sub; the audit log shows it).")
  String subject;

  @Option(names = "--ttl", defaultValue = "1h", paramLabel = "DURATION", description = "How long it is valid, for example 30m or 8h (default ${DEFAULT-VALUE}).")
  String ttl;

  @Option(names = "--secret-file", required = true, paramLabel = "FILE", description = "The HS256 secret, at least 32 bytes (a trailing newline is ignored).")
  Path secretFile;

  @Option(names = "--kid", paramLabel = "ID", description = "The key id to name (the key's id in security.jwt.keys, when it has one).")
  String keyId;

  @Option(names = "--issuer", paramLabel = "ISS", description = "The iss claim, when the coordinator checks one.")
  String issuer;

  @Option(names = "--audience", paramLabel = "AUD", description = "The aud claim, when the coordinator checks one.")
  String audience;

  @Override
  public Integer call() {
    Role parsed = Role.parse(role);
    if (parsed == null) {
      System.err.println("coordinator: --role must be viewer, operator or admin, got '" + role + "'");
      return Main.INVALID;
    }
    Duration validFor;
    try {
      validFor = ConfigValues.parseDuration(ttl);
    } catch (IllegalArgumentException e) {
      System.err.println("coordinator: --ttl: " + e.getMessage());
      return Main.INVALID;
    }
    if (validFor.isZero() || validFor.compareTo(Duration.ofDays(366)) > 0) {
      System.err.println("coordinator: --ttl must be more than 0 and at most 366d");
      return Main.INVALID;
    }
    byte[] secret;
    try {
      secret = Files.readString(secretFile, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("coordinator: cannot read " + secretFile + ": " + e.getMessage());
      return Main.INVALID;
    }
    if (secret.length < 32) {
      System.err.println("coordinator: the secret in " + secretFile + " is " + secret.length + " bytes; at least 32 are needed");
      return Main.INVALID;
    }
    Vertx vertx = Vertx.vertx();
    try {
      System.out.println(new TokenIssuer(vertx, secret, keyId).mint(subject, parsed, validFor, issuer, audience));
      return 0;
    } finally {
      vertx.close();
    }
  }
}
