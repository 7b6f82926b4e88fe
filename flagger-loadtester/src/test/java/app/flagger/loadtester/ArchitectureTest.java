package app.flagger.loadtester;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import app.flagger.model.support.ArchitectureRules;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Layering and bans of the load tester's production code. */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("app.flagger.loadtester");

  @Test
  void readsNoWallClockAndNeverSleeps() {
    noClasses()
        .should()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(Thread.class, "sleep", long.class)
        .orShould()
        .callMethod(java.time.LocalDateTime.class, "now")
        .check(MAIN);
  }

  @Test
  void usesNoGlobalConfigOrRegistry() {
    noClasses()
        .should()
        .callMethod(io.helidon.config.Config.class, "global")
        .orShould()
        .callMethod(io.helidon.metrics.api.Metrics.class, "globalRegistry")
        .check(MAIN);
  }

  @Test
  void generatorAndGrpcToolsKnowNothingOfHelidonOrKubernetes() {
    noClasses()
        .that()
        .resideInAnyPackage("app.flagger.loadtester.load..", "app.flagger.loadtester.grpc..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.helidon..", "io.fabric8..", "app.flagger.loadtester.task..")
        .check(MAIN);
  }

  @Test
  void builtInToolsKnowNothingOfHelidonKubernetesOrTasks() {
    noClasses()
        .that()
        .resideInAPackage("app.flagger.loadtester.curl..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.helidon..", "io.fabric8..", "app.flagger.loadtester.task..")
        .check(MAIN);
  }

  @Test
  void jsonFactoriesComeFromOneProvider() {
    ArchitectureRules.NO_JSON_PROVIDER_LOOKUP_PER_CALL.check(
        ArchitectureRules.productionClasses("app.flagger.loadtester"));
  }
}
