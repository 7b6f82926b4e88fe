package app.flagger.model.support;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * Rules every module's production code follows, shared through the model's test jar: time and
 * sleeping come from injected clocks and schedulers, and no global registries are used.
 */
public final class ArchitectureRules {
  private ArchitectureRules() {}

  /** The production classes below {@code app.flagger}, without tests or jars. */
  public static JavaClasses productionClasses(String rootPackage) {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages(rootPackage);
  }

  /** Calls that read the wall clock, sleep, or reach global singletons. */
  private static final List<String[]> BANNED =
      List.of(
          new String[] {"java.time.Instant", "now"},
          new String[] {"java.time.LocalDateTime", "now"},
          new String[] {"java.time.OffsetDateTime", "now"},
          new String[] {"java.time.ZonedDateTime", "now"},
          new String[] {"java.lang.System", "currentTimeMillis"},
          new String[] {"java.lang.Thread", "sleep"},
          new String[] {"io.helidon.config.Config", "global"},
          new String[] {"io.helidon.metrics.api.Metrics", "globalRegistry"});

  public static final ArchRule NO_CLOCK_READS_SLEEPS_OR_GLOBALS =
      noClasses()
          .should()
          .callMethodWhere(
              new DescribedPredicate<JavaCall<?>>(
                  "Instant.now, System.currentTimeMillis, Thread.sleep, Config.global or"
                      + " Metrics.globalRegistry") {
                @Override
                public boolean test(JavaCall<?> call) {
                  String owner = call.getTargetOwner().getName();
                  String name = call.getName();
                  return BANNED.stream().anyMatch(b -> b[0].equals(owner) && b[1].equals(name));
                }
              })
          .because("time and sleeping come from an injected Clock and scheduler (STYLE.md 6)");

  /**
   * {@code jakarta.json.Json}'s factories look the provider up on every call: use {@code Jsons}.
   */
  public static final ArchRule NO_JSON_PROVIDER_LOOKUP_PER_CALL =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName("app.flagger.model.json.Jsons")
          .should()
          .callMethodWhere(
              new DescribedPredicate<JavaCall<?>>("a jakarta.json.Json factory method") {
                @Override
                public boolean test(JavaCall<?> call) {
                  return call.getTargetOwner().getName().equals("jakarta.json.Json");
                }
              })
          .because(
              "Json.createXxx runs a ServiceLoader lookup per call; app.flagger.model.json.Jsons"
                  + " holds one provider");
}
