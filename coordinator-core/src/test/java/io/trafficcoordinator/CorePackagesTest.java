package io.trafficcoordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Core's packages form layers (no package reaches back to one that reaches it), and core depends
 * on the JDK alone: it is what the server and the lab both run, so it carries no framework. A
 * small pure library may join the allowed list below, by name and on purpose.
 */
class CorePackagesTest {

  /** This module's own classes, as compiled (not the tests, not other modules on the class path). */
  private static final JavaClasses CORE = new ClassFileImporter().importPath(Path.of("target/classes"));

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.trafficcoordinator.(**)").should().beFreeOfCycles().check(CORE);
  }

  @Test
  void dependsOnTheJdkAlone() {
    classes().should().onlyDependOnClassesThat().resideInAnyPackage("io.trafficcoordinator..", "java..")
        .check(CORE);
  }
}
