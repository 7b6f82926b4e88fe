package app.flagger.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import app.flagger.model.support.ArchitectureRules;
import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/** The model stays dumb: no Kubernetes client, no Helidon, no clock reads. */
class ArchitectureTest {
  private static final JavaClasses MODEL = ArchitectureRules.productionClasses("app.flagger.model");

  @Test
  void modelDoesNotUseHelidon() {
    noClasses().should().dependOnClassesThat().resideInAPackage("io.helidon..").check(MODEL);
  }

  @Test
  void modelUsesNoKubernetesClientButCustomResource() {
    noClasses()
        .should()
        .dependOnClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "fabric8 client classes other than CustomResource",
                c ->
                    c.getPackageName().startsWith("io.fabric8.kubernetes.client")
                        && !c.getName().equals("io.fabric8.kubernetes.client.CustomResource")))
        .check(MODEL);
  }

  @Test
  void modelReadsNoClockAndUsesNoGlobals() {
    ArchitectureRules.NO_CLOCK_READS_SLEEPS_OR_GLOBALS.check(MODEL);
  }

  @Test
  void jsonFactoriesComeFromOneProvider() {
    ArchitectureRules.NO_JSON_PROVIDER_LOOKUP_PER_CALL.check(MODEL);
  }
}
