package app.flagger.controller.notifier;

import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.canary.Canary;

/**
 * Sends a Canary's alerts (Flagger's {@code alert(canary, message, withMetadata, severity)}): to
 * every {@code analysis.alerts} provider whose severity subscribes to this one, or to the global
 * notifier when the Canary has none. Never throws: failures are logged and never affect the Canary.
 */
public interface Alerter {
  void alert(Canary canary, String message, boolean withMetadata, AlertSeverity severity);
}
