package app.flagger.controller.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.notifier.Notifier.Field;
import app.flagger.model.alert.AlertProvider;
import app.flagger.model.alert.AlertProviderSpec;
import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAlert;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.common.LocalObjectReference;
import app.flagger.model.common.NamedReference;
import app.flagger.model.common.SecretReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AlertDispatcherTest {
  /** A notifier that records which provider address received what. */
  record Sent(
      String address, String message, List<Field> fields, AlertSeverity severity, String token) {}

  static final class RecordingFactory extends NotifierFactory {
    final List<Sent> sent = new ArrayList<>();

    RecordingFactory() {
      super(
          NotifierFactory.DEFAULT_TIMEOUT,
          app.flagger.controller.support.TestFactories.metrics(),
          app.flagger.model.http.BoundedBody.DEFAULT_LIMIT);
    }

    @Override
    public Notifier create(
        String type, String address, String proxy, String username, String channel, String token) {
      return (w, ns, message, fields, severity) ->
          sent.add(new Sent(address, message, fields, severity, token));
    }
  }

  static final class MapLookup implements AlertLookup {
    final Map<String, AlertProvider> providers = new HashMap<>();
    final Map<String, Map<String, String>> secrets = new HashMap<>();

    void provider(String name, String address, String secret) {
      AlertProvider p = new AlertProvider();
      p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("test").build());
      p.setSpec(
          new AlertProviderSpec(
              "slack",
              null,
              null,
              address,
              null,
              secret == null ? null : new SecretReference(secret)));
      providers.put(name, p);
    }

    @Override
    public AlertProvider alertProvider(String namespace, String name) throws LookupException {
      AlertProvider p = providers.get(name);
      if (p == null) {
        throw new LookupException("not found");
      }
      return p;
    }

    @Override
    public Map<String, String> secretData(String namespace, String name) throws LookupException {
      Map<String, String> s = secrets.get(name);
      if (s == null) {
        throw new LookupException("not found");
      }
      return s;
    }
  }

  private final RecordingFactory factory = new RecordingFactory();
  private final MapLookup lookup = new MapLookup();

  private static Canary canary(List<CanaryAlert> alerts, Integer stepWeight, List<Integer> steps) {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName("podinfo").withNamespace("test").build());
    var analysis =
        new CanaryAnalysis(
            "1m",
            5,
            50,
            stepWeight,
            steps,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            alerts,
            null);
    c.setSpec(
        new CanarySpec(
            null,
            null,
            new LocalObjectReference("apps/v1", "Deployment", "podinfo"),
            null,
            null,
            null,
            null,
            null,
            analysis,
            null,
            300,
            null,
            null,
            null));
    return c;
  }

  private static CanaryAlert alert(String severity) {
    return new CanaryAlert(severity, severity, new NamedReference("p-" + severity, null));
  }

  record Row(AlertSeverity message, List<String> receivers) {}

  static Stream<Row> rows() {
    return Stream.of(
        new Row(AlertSeverity.INFO, List.of("http://p-info", "http://p-")),
        new Row(AlertSeverity.WARN, List.of("http://p-info", "http://p-warn", "http://p-")),
        new Row(
            AlertSeverity.ERROR,
            List.of("http://p-info", "http://p-warn", "http://p-error", "http://p-")));
  }

  /** info receives all, warn warn+error, error only error, and empty severity means info. */
  @ParameterizedTest
  @MethodSource("rows")
  void severityFiltering(Row row) {
    for (String s : List.of("info", "warn", "error", "")) {
      lookup.provider("p-" + s, "http://p-" + s, null);
    }
    List<CanaryAlert> alerts =
        List.of(alert("info"), alert("warn"), alert("error"), alert(""), alert("bogus"));
    new AlertDispatcher(lookup, factory, Optional.empty(), "")
        .alert(canary(alerts, 10, null), "msg", false, row.message());
    assertThat(factory.sent.stream().map(Sent::address)).containsExactlyElementsOf(row.receivers());
  }

  @Test
  void metadataFieldsAndCluster() {
    var dispatcher = new AlertDispatcher(lookup, factory, Optional.empty(), "prod-eu");
    assertThat(dispatcher.fields(canary(List.of(), 10, null), true))
        .containsExactly(
            new Field("Cluster", "prod-eu"),
            new Field("Target", "Deployment/podinfo.test"),
            new Field("Failed checks threshold", "5"),
            new Field("Progress deadline", "300s"),
            new Field("Traffic routing", "Weight step: 10 max: 50"));
    assertThat(dispatcher.fields(canary(List.of(), null, List.of(1, 2, 10, 80)), true))
        .contains(new Field("Traffic routing", "Weight steps: 1,2,10,80 max: 80"));
    assertThat(dispatcher.fields(canary(List.of(), 10, null), false))
        .containsExactly(new Field("Cluster", "prod-eu"));
  }

  @Test
  void withoutAlertsTheGlobalNotifierGetsEverything() {
    List<String> got = new ArrayList<>();
    Notifier global = (w, ns, m, f, s) -> got.add(w + "." + ns + " " + m + " " + s);
    new AlertDispatcher(lookup, factory, Optional.of(global), "")
        .alert(
            canary(List.of(), 10, null),
            "Canary is waiting for approval.",
            false,
            AlertSeverity.WARN);
    assertThat(got).containsExactly("podinfo.test Canary is waiting for approval. WARN");
  }

  @Test
  void secretAddressAndTokenWinAndFailuresNeverThrow() {
    lookup.provider("p-info", "http://ignored", "slack-secret");
    lookup.secrets.put("slack-secret", Map.of("address", "http://from-secret", "token", "t0k"));
    lookup.provider("p-warn", "http://x", "no-address");
    lookup.secrets.put("no-address", Map.of("token", "t"));
    List<CanaryAlert> alerts = List.of(alert("info"), alert("warn"), alert("error"));
    Notifier exploding =
        (w, ns, m, f, s) -> {
          throw new NotifierException("boom");
        };
    new AlertDispatcher(lookup, factory, Optional.of(exploding), "")
        .alert(canary(alerts, 10, null), "m", true, AlertSeverity.ERROR);
    assertThat(factory.sent)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.address()).isEqualTo("http://from-secret");
              assertThat(s.token()).isEqualTo("t0k");
            });
  }
}
