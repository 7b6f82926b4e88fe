package app.flagger.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.model.support.ArchitectureRules;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The shared rule really catches what it bans. */
class ArchitectureRulesTest {
  static final class ReadsTheClock {
    Instant stamp() {
      return Instant.now();
    }
  }

  static final class Sleeps {
    void pause() throws InterruptedException {
      Thread.sleep(1);
    }
  }

  static final class LooksUpTheJsonProvider {
    Object builder() {
      return jakarta.json.Json.createObjectBuilder();
    }
  }

  @Test
  void ruleRejectsAJsonFactoryCall() {
    var classes = new ClassFileImporter().importClasses(LooksUpTheJsonProvider.class);
    assertThatThrownBy(() -> ArchitectureRules.NO_JSON_PROVIDER_LOOKUP_PER_CALL.check(classes))
        .hasMessageContaining("Json.createObjectBuilder()");
  }

  @Test
  void ruleRejectsInstantNow() {
    var classes = new ClassFileImporter().importClasses(ReadsTheClock.class);
    assertThatThrownBy(() -> ArchitectureRules.NO_CLOCK_READS_SLEEPS_OR_GLOBALS.check(classes))
        .hasMessageContaining("Instant.now()");
  }

  @Test
  void ruleRejectsThreadSleep() {
    var classes = new ClassFileImporter().importClasses(Sleeps.class);
    assertThatThrownBy(() -> ArchitectureRules.NO_CLOCK_READS_SLEEPS_OR_GLOBALS.check(classes))
        .hasMessageContaining("Thread.sleep(long)");
  }
}
