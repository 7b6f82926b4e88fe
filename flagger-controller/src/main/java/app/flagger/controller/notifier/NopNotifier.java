package app.flagger.controller.notifier;

import app.flagger.model.alert.AlertSeverity;
import java.util.List;

/** Sends nothing: the notifier of an empty address. */
public final class NopNotifier implements Notifier {
  @Override
  public void post(
      String workload,
      String namespace,
      String message,
      List<Field> fields,
      AlertSeverity severity) {}
}
