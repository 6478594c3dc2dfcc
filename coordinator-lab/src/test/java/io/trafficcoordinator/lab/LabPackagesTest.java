package io.trafficcoordinator.lab;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The lab's packages form layers: scenarios and the simulator below, the reports and the runner above. */
class LabPackagesTest {

  /** This module's own classes, as compiled (not the tests, not core). */
  private static final JavaClasses LAB = new ClassFileImporter().importPath(Path.of("target/classes"));

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.trafficcoordinator.(**)").should().beFreeOfCycles().check(LAB);
  }
}
