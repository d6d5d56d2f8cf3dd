package dev.kadmesh.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kadmesh");
  }

  @Test
  void theCoreDoesNotDependOnSpring() {
    noClasses()
        .that()
        .resideInAPackage("dev.kadmesh.p2p..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.springframework..")
        .check(classes);
  }

  @Test
  void nettyStaysInTheTransportPackages() {
    noClasses()
        .that()
        .resideInAPackage("dev.kadmesh..")
        .and()
        .resideOutsideOfPackages("dev.kadmesh.p2p.net..", "dev.kadmesh.p2p.pool..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .check(classes);
  }

  @Test
  void theCoreDoesNotDependOnTheService() {
    noClasses()
        .that()
        .resideInAPackage("dev.kadmesh.p2p..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.kadmesh.service..")
        .check(classes);
  }
}
