package app.flagger.cli;

import app.flagger.model.support.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The plugin follows the rules of every module: time from the injected clock, no sleeps. */
class ArchitectureTest {
  @Test
  void productionCodeReadsNoClockAndNeverSleeps() {
    ArchitectureRules.NO_CLOCK_READS_SLEEPS_OR_GLOBALS.check(
        ArchitectureRules.productionClasses("app.flagger.cli"));
  }

  @Test
  void jsonFactoriesComeFromOneProvider() {
    ArchitectureRules.NO_JSON_PROVIDER_LOOKUP_PER_CALL.check(
        ArchitectureRules.productionClasses("app.flagger.cli"));
  }
}
