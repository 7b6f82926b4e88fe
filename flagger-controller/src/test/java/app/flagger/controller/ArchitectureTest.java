package app.flagger.controller;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import app.flagger.model.support.ArchitectureRules;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * Production code reads no clock, never sleeps and reaches no global registry; and its packages
 * form no cycle (the composition root, {@code app.flagger.controller} itself, may use every
 * package, and no package uses it).
 */
class ArchitectureTest {
  /** Every package of the controller is a slice of its own, the root package included. */
  private static final SliceAssignment EACH_PACKAGE =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          return c.getPackageName().startsWith("app.flagger.controller")
              ? SliceIdentifier.of(c.getPackageName())
              : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "each package of app.flagger.controller";
        }
      };

  @Test
  void noClockReadsSleepsOrGlobals() {
    ArchitectureRules.NO_CLOCK_READS_SLEEPS_OR_GLOBALS.check(
        ArchitectureRules.productionClasses("app.flagger.controller"));
  }

  @Test
  void packagesFormNoCycles() {
    slices()
        .assignedFrom(EACH_PACKAGE)
        .should()
        .beFreeOfCycles()
        .check(ArchitectureRules.productionClasses("app.flagger.controller"));
  }

  @Test
  void jsonFactoriesComeFromOneProvider() {
    ArchitectureRules.NO_JSON_PROVIDER_LOOKUP_PER_CALL.check(
        ArchitectureRules.productionClasses("app.flagger.controller"));
  }
}
