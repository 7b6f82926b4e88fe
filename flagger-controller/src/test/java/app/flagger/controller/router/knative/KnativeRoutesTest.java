package app.flagger.controller.router.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.kube.KnativeServices;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flagger's SetRoutes traffic and GetRoutes reading (knative_test.go), without a server. */
class KnativeRoutesTest {
  private static final String KEY = "Knative Service podinfo.default";

  @Test
  void trafficSendsTheCanaryPercentToTheLatestRevisionThenThePrimaryPercentToItsRevision() {
    // Flagger: SetRoutes(canary, 10, 90) → [{latestRevision, 90}, {podinfo-00001, 10}]
    assertThat(KnativeServices.traffic("podinfo-00001", 10, 90))
        .containsExactly(
            Map.of("latestRevision", true, "percent", 90),
            Map.of("revisionName", "podinfo-00001", "percent", 10));
  }

  @Test
  void readsThePrimaryAndCanaryPercentsFromStatusTraffic() {
    List<Map<String, Object>> status =
        List.of(
            Map.of("latestRevision", true, "revisionName", "podinfo-00002", "percent", 90),
            Map.of("latestRevision", false, "revisionName", "podinfo-00001", "percent", 10));

    assertThat(KnativeRoutes.read(status, "podinfo-00001", KEY))
        .isEqualTo(new Routes(10, 90, false));
  }

  /**
   * Knative fills in the latest entry's revision name: when the latest revision is the primary
   * (after initialization or promotion) the primary is the other entry naming it.
   */
  @Test
  void thePrimaryIsNotTheLatestEntryWhenBothNameTheSameRevision() {
    List<Map<String, Object>> status =
        List.of(
            Map.of("latestRevision", true, "revisionName", "podinfo-00001", "percent", 0),
            Map.of("latestRevision", false, "revisionName", "podinfo-00001", "percent", 100));

    assertThat(KnativeRoutes.read(status, "podinfo-00001", KEY)).isEqualTo(Routes.allPrimary());
  }

  /**
   * Promotion moved the primary to the latest revision before the traffic shift: the latest entry
   * keeps the canary's percent and the rest (the old primary revision) counts as primary.
   */
  @Test
  void afterPromotionThePrimaryHasWhatTheLatestRevisionDoesNot() {
    List<Map<String, Object>> status =
        List.of(
            Map.of("latestRevision", true, "revisionName", "podinfo-00002", "percent", 30),
            Map.of("latestRevision", false, "revisionName", "podinfo-00001", "percent", 70));

    assertThat(KnativeRoutes.read(status, "podinfo-00002", KEY))
        .isEqualTo(new Routes(70, 30, false));
  }

  @Test
  void trafficWithoutTheLatestOrThePrimaryEntryIsInvalid() {
    List<Map<String, Object>> onlyLatest =
        List.of(Map.of("latestRevision", true, "revisionName", "podinfo-00001", "percent", 100));
    List<Map<String, Object>> noLatest =
        List.of(Map.of("revisionName", "podinfo-00001", "percent", 100));

    assertThatThrownBy(() -> KnativeRoutes.read(noLatest, "podinfo-00001", KEY))
        .isInstanceOf(RouterException.class)
        .hasMessage("Knative Service podinfo.default traffic spec invalid");
    assertThatThrownBy(() -> KnativeRoutes.read(List.of(), "podinfo-00001", KEY))
        .hasMessage("Knative Service podinfo.default traffic spec invalid");
    assertThatThrownBy(() -> KnativeRoutes.read(onlyLatest, "podinfo-00003", KEY))
        .as("no entry names the primary revision")
        .hasMessage("Knative Service podinfo.default traffic spec invalid");
  }

  @Test
  void aMissingPercentIsNamed() {
    List<Map<String, Object>> noPrimaryPercent =
        List.of(
            Map.of("latestRevision", true, "percent", 100),
            Map.of("revisionName", "podinfo-00001"));
    List<Map<String, Object>> noCanaryPercent =
        List.of(
            Map.of("latestRevision", true),
            Map.of("revisionName", "podinfo-00001", "percent", 100));

    assertThatThrownBy(() -> KnativeRoutes.read(noPrimaryPercent, "podinfo-00001", KEY))
        .hasMessage(
            "Knative Service podinfo.default primary revision traffic percent does not exist");
    assertThatThrownBy(() -> KnativeRoutes.read(noCanaryPercent, "podinfo-00001", KEY))
        .hasMessage(
            "Knative Service podinfo.default canary revision traffic percent does not exist");
  }

  @Test
  void percentsThatDoNotAddUpTo100AreAnError() {
    List<Map<String, Object>> status =
        List.of(
            Map.of("latestRevision", true, "percent", 20),
            Map.of("revisionName", "podinfo-00001", "percent", 70));

    assertThatThrownBy(() -> KnativeRoutes.read(status, "podinfo-00001", KEY))
        .hasMessage(
            "Knative Service podinfo.default traffic percents primary 70 and canary 20 do not"
                + " add up to 100");
  }
}
