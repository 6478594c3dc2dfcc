package io.trafficcoordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The server's packages form layers, and every meter is registered in {@code telemetry}: the
 * proxy, health checks, control API and versioning report through its classes, so one package
 * says what is measured and under which name. Only the wiring ({@code server}, {@code cli}) holds
 * the registry itself.
 */
class ServerPackagesTest {

  /** This module's own classes, as compiled (not the tests, not core or the lab). */
  private static final JavaClasses SERVER = new ClassFileImporter().importPath(Path.of("target/classes"));

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.trafficcoordinator.(**)").should().beFreeOfCycles().check(SERVER);
  }

  @Test
  void metricsGoThroughTelemetry() {
    noClasses().that().resideOutsideOfPackages("io.trafficcoordinator.telemetry..", "io.trafficcoordinator.server..",
            "io.trafficcoordinator.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
        .check(SERVER);
  }
}
