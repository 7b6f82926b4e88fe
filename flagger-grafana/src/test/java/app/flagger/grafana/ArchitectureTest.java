package app.flagger.grafana;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import app.flagger.model.support.ArchitectureRules;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The module's layering and bans: time and waiting come from the injected clock and scheduler, no
 * global registries, dashboards are pure, the client knows nothing of provisioning.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("app.flagger.grafana");

  private static final List<List<String>> BANNED =
      List.of(
          List.of("java.time.Instant", "now"),
          List.of("java.time.LocalDateTime", "now"),
          List.of("java.time.OffsetDateTime", "now"),
          List.of("java.time.ZonedDateTime", "now"),
          List.of("java.lang.System", "currentTimeMillis"),
          List.of("java.lang.Thread", "sleep"),
          List.of("io.helidon.config.Config", "global"),
          List.of("io.helidon.metrics.api.Metrics", "globalRegistry"));

  @Test
  void noClockReadsSleepsOrGlobals() {
    noClasses()
        .should()
        .callMethodWhere(
            DescribedPredicate.describe(
                "Instant.now, System.currentTimeMillis, Thread.sleep, Config.global or"
                    + " Metrics.globalRegistry",
                (JavaCall<?> call) ->
                    BANNED.contains(List.of(call.getTargetOwner().getName(), call.getName()))))
        .because("time and waiting come from the injected Clock and TaskScheduler")
        .check(MAIN);
  }

  @Test
  void dashboardsArePureData() {
    noClasses()
        .that()
        .resideInAPackage("..grafana.dashboard..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.helidon..", "..grafana.client..", "..grafana.provision..")
        .check(MAIN);
  }

  @Test
  void clientKnowsNothingOfProvisioningOrDashboards() {
    noClasses()
        .that()
        .resideInAPackage("..grafana.client..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..grafana.provision..", "..grafana.dashboard..")
        .check(MAIN);
  }

  @Test
  void jsonFactoriesComeFromOneProvider() {
    ArchitectureRules.NO_JSON_PROVIDER_LOOKUP_PER_CALL.check(
        ArchitectureRules.productionClasses("app.flagger.grafana"));
  }
}
