package app.flagger.controller.support;

import app.flagger.controller.notifier.Alerter;
import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.canary.Canary;
import java.util.ArrayList;
import java.util.List;

/** Records alerts as {@code <severity> <message>}. */
public final class RecordingAlerter implements Alerter {
  private final List<String> alerts = new ArrayList<>();

  @Override
  public synchronized void alert(
      Canary canary, String message, boolean withMetadata, AlertSeverity severity) {
    alerts.add(severity.value() + " " + message);
  }

  public synchronized List<String> alerts() {
    return List.copyOf(alerts);
  }
}
