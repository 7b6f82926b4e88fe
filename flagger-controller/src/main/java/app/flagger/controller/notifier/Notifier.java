package app.flagger.controller.notifier;

import app.flagger.model.alert.AlertSeverity;
import java.util.List;

/** Posts one message to a chat system (Flagger's {@code notifier.Interface}). */
public interface Notifier {
  /**
   * @param workload the Canary's name
   * @param namespace the Canary's namespace
   * @param message the alert text
   * @param fields extra name/value lines (cluster, target, thresholds, routing)
   * @param severity only {@code error} changes colours
   */
  void post(
      String workload, String namespace, String message, List<Field> fields, AlertSeverity severity)
      throws NotifierException;

  /** One name/value line of an alert; nulls read as empty text. */
  record Field(String name, String value) {
    public Field {
      name = name == null ? "" : name;
      value = value == null ? "" : value;
    }
  }
}
