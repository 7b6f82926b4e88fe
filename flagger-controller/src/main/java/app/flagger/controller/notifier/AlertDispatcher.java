package app.flagger.controller.notifier;

import app.flagger.controller.notifier.Notifier.Field;
import app.flagger.model.alert.AlertProvider;
import app.flagger.model.alert.AlertProviderSpec;
import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAlert;
import app.flagger.model.canary.CanaryAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Sends a Canary's alerts (Flagger's {@code alert}): to every {@code analysis.alerts} entry whose
 * severity subscribes to the message's ({@code info} receives everything, {@code warn} warnings and
 * errors, {@code error} errors; an empty severity is {@code info}), or to the global notifier when
 * the Canary has no alerts. Providers and secrets are read per send. Failures are logged and never
 * thrown.
 */
public final class AlertDispatcher implements Alerter {
  private static final Logger LOG = Logger.getLogger(AlertDispatcher.class.getName());

  private final AlertLookup lookup;
  private final NotifierFactory factory;
  private final Optional<Notifier> global;
  private final String clusterName;

  /**
   * @param lookup reads AlertProviders and Secrets
   * @param factory builds a notifier per send
   * @param global the controller-wide notifier ({@link NotifierFactory#global}), if any
   * @param clusterName added as a {@code Cluster} field when not empty
   */
  public AlertDispatcher(
      AlertLookup lookup, NotifierFactory factory, Optional<Notifier> global, String clusterName) {
    this.lookup = lookup;
    this.factory = factory;
    this.global = global;
    this.clusterName = clusterName == null ? "" : clusterName;
  }

  @Override
  public void alert(Canary canary, String message, boolean withMetadata, AlertSeverity severity) {
    try {
      send(canary, message, withMetadata, severity);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "alert can't be sent: " + e.getMessage(), e);
    }
  }

  private void send(Canary canary, String message, boolean withMetadata, AlertSeverity severity) {
    List<Field> fields = fields(canary, withMetadata);
    String name = canary.getMetadata().getName();
    String namespace = canary.getMetadata().getNamespace();
    CanaryAnalysis analysis = canary.getSpec().analysisOrLegacy();
    List<CanaryAlert> alerts = analysis == null ? List.of() : analysis.alertsOrEmpty();
    if (alerts.isEmpty()) {
      if (global.isPresent()) {
        try {
          global.get().post(name, namespace, message, fields, severity);
        } catch (NotifierException e) {
          LOG.warning(() -> "alert can't be sent: " + e.getMessage());
        }
      }
      return;
    }
    for (CanaryAlert alert : alerts) {
      Optional<AlertSeverity> subscribed = alert.severityOrDefault();
      if (subscribed.isEmpty() || !subscribed.get().receives(severity)) {
        continue;
      }
      sendTo(alert, canary, message, fields, severity);
    }
  }

  private void sendTo(
      CanaryAlert alert,
      Canary canary,
      String message,
      List<Field> fields,
      AlertSeverity severity) {
    if (alert.providerRef() == null) {
      return;
    }
    String providerName = alert.providerRef().name();
    String namespace = alert.providerRef().namespaceOr(canary.getMetadata().getNamespace());
    String id = providerName + "." + namespace;
    try {
      AlertProvider provider = lookup.alertProvider(namespace, providerName);
      AlertProviderSpec spec = provider.getSpec();
      String address = spec.address();
      String token = null;
      if (spec.secretRef() != null) {
        Map<String, String> secret = lookup.secretData(namespace, spec.secretRef().name());
        address = secret.get("address");
        if (address == null) {
          LOG.severe(() -> "alert provider " + id + " secret does not contain an address");
          return;
        }
        token = secret.get("token");
      }
      Notifier notifier =
          factory.create(
              spec.type(),
              address,
              spec.proxy(),
              spec.usernameOrDefault(),
              spec.channelOrDefault(),
              token);
      try {
        notifier.post(
            canary.getMetadata().getName(),
            canary.getMetadata().getNamespace(),
            message,
            fields,
            severity);
      } catch (NotifierException e) {
        LOG.warning(() -> "alert provider " + id + " send error: " + e.getMessage());
      }
    } catch (AlertLookup.LookupException | NotifierException e) {
      LOG.severe(() -> "alert provider " + id + " error: " + e.getMessage());
    }
  }

  /** {@code Cluster}, then with metadata: target, threshold, deadline and traffic routing. */
  List<Field> fields(Canary canary, boolean withMetadata) {
    List<Field> fields = new ArrayList<>();
    if (!clusterName.isEmpty()) {
      fields.add(new Field("Cluster", clusterName));
    }
    if (!withMetadata) {
      return fields;
    }
    var spec = canary.getSpec();
    var target = spec.targetRef();
    fields.add(
        new Field(
            "Target",
            (target == null ? "" : target.kind() + "/" + target.name())
                + "."
                + canary.getMetadata().getNamespace()));
    CanaryAnalysis analysis = spec.analysisOrLegacy();
    fields.add(
        new Field(
            "Failed checks threshold",
            String.valueOf(analysis == null ? 1 : analysis.thresholdOrDefault())));
    fields.add(new Field("Progress deadline", spec.progressDeadlineOrDefault() + "s"));
    routing(analysis).ifPresent(r -> fields.add(new Field("Traffic routing", r)));
    return fields;
  }

  private static Optional<String> routing(CanaryAnalysis a) {
    if (a == null) {
      return Optional.empty();
    }
    if (a.stepWeightOrZero() > 0) {
      return Optional.of(
          "Weight step: " + a.stepWeightOrZero() + " max: " + a.maxWeightOrDefault());
    }
    if (!a.stepWeightsOrEmpty().isEmpty()) {
      String steps =
          a.stepWeightsOrEmpty().stream().map(String::valueOf).collect(Collectors.joining(","));
      return Optional.of("Weight steps: " + steps + " max: " + a.maxWeightOrDefault());
    }
    if (!a.matchOrEmpty().isEmpty()) {
      return Optional.of("A/B Testing");
    }
    if (a.iterationsOrZero() > 0) {
      return Optional.of("Blue/Green");
    }
    return Optional.empty();
  }
}
