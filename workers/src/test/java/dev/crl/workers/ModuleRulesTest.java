package dev.crl.workers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture's dependency rules, checked on the compiled classes of every module (the
 * Maven enforcer already keeps the forbidden libraries off each module's classpath; this test
 * also catches a forbidden reference between our own modules). The last test proves the rules
 * bite: a class that imports DJL from a workflow-like package is reported.
 */
class ModuleRulesTest {
  private static JavaClasses production;

  @BeforeAll
  static void importClasses() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.crl");
  }

  /** Workflows see activity interfaces and payload records only. */
  static ArchRule workflowRule(String workflowPackage) {
    return noClasses().that().resideInAPackage(workflowPackage)
        .should().dependOnClassesThat().resideInAnyPackage(
            "ai.djl..", "io.minio..", "io.qdrant..", "org.mlflow..",
            "dev.crl.learning..", "dev.crl.experience..", "dev.crl.stores..",
            "dev.crl.activities..", "dev.crl.environments..", "dev.crl.workers..")
        .because("workflows are deterministic orchestration over activity interfaces (DESIGN.md principle 1)");
  }

  @Test
  void workflowsDependOnActivityInterfacesOnly() {
    workflowRule("dev.crl.workflows..").check(production);
  }

  @Test
  void environmentsDependOnNeitherTemporalNorDjl() {
    noClasses().that().resideInAPackage("dev.crl.environments..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.temporal..", "ai.djl..", "dev.crl.api..", "dev.crl.learning..",
            "dev.crl.experience..", "dev.crl.activities..", "dev.crl.workflows..")
        .because("environments are plain text games usable anywhere")
        .check(production);
  }

  @Test
  void librariesAreTestableWithoutTemporal() {
    noClasses().that().resideInAnyPackage(
            "dev.crl.learning..", "dev.crl.experience..", "dev.crl.stores..")
        .should().dependOnClassesThat().resideInAnyPackage("io.temporal..", "dev.crl.workflows..")
        .because("activities are thin adapters over plain library code (DESIGN.md principle 3)")
        .check(production);
  }

  @Test
  void payloadsAndSpecsStayFreeOfHeavyLibraries() {
    noClasses().that().resideInAPackage("dev.crl.api..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "ai.djl..", "io.minio..", "io.qdrant..", "org.mlflow..", "dev.crl.learning..",
            "dev.crl.experience..", "dev.crl.stores..", "dev.crl.activities..")
        .check(production);
  }

  @Test
  void theRulesCatchAForbiddenImport() {
    JavaClasses fixture = new ClassFileImporter().importPackages("dev.crl.workers.archfixture");
    assertTrue(fixture.size() > 0, "the fixture class must be on the test classpath");
    AssertionError violation = assertThrows(AssertionError.class,
        () -> workflowRule("dev.crl.workers.archfixture..").check(fixture));
    assertTrue(violation.getMessage().contains("ai.djl"), violation.getMessage());
  }
}
