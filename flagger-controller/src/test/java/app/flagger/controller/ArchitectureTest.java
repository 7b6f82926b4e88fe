package app.flagger.controller;

import app.flagger.model.support.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** Production code reads no clock, never sleeps and reaches no global registry. */
class ArchitectureTest {
  @Test
  void noClockReadsSleepsOrGlobals() {
    ArchitectureRules.NO_CLOCK_READS_SLEEPS_OR_GLOBALS.check(
        ArchitectureRules.productionClasses("app.flagger.controller"));
  }
}
