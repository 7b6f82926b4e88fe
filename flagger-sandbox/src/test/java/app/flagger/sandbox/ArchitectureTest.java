package app.flagger.sandbox;

import app.flagger.model.support.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The sandbox takes time from injected clocks and schedulers, like the services. */
class ArchitectureTest {

  @Test
  void sandboxReadsNoClockAndUsesNoGlobals() {
    ArchitectureRules.NO_CLOCK_READS_SLEEPS_OR_GLOBALS.check(
        ArchitectureRules.productionClasses("app.flagger.sandbox"));
  }

  @Test
  void jsonFactoriesComeFromOneProvider() {
    ArchitectureRules.NO_JSON_PROVIDER_LOOKUP_PER_CALL.check(
        ArchitectureRules.productionClasses("app.flagger.sandbox"));
  }
}
