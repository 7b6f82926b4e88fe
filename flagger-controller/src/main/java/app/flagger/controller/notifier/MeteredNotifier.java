package app.flagger.controller.notifier;

import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.metrics.FlaggerMetrics.CallTarget;
import java.time.Duration;
import java.util.List;

/**
 * Records every post of a notifier as a {@code notifier} call: its duration, and an error when the
 * chat system could not be reached or answered with a non-2xx status.
 */
final class MeteredNotifier implements Notifier {
  private final Notifier delegate;
  private final ControllerMetrics metrics;

  MeteredNotifier(Notifier delegate, ControllerMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public void post(
      String workload, String namespace, String message, List<Field> fields, AlertSeverity severity)
      throws NotifierException {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      delegate.post(workload, namespace, message, fields, severity);
      ok = true;
    } finally {
      metrics.recordCall(CallTarget.NOTIFIER, Duration.ofNanos(System.nanoTime() - start), ok);
    }
  }

  /** The notifier being measured. */
  Notifier delegate() {
    return delegate;
  }
}
