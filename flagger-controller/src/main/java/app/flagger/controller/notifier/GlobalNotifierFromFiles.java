package app.flagger.controller.notifier;

import app.flagger.model.alert.AlertSeverity;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The global notifier when its secrets come from files (a mounted Secret): each alert reads the
 * files again and builds a new Slack or Teams notifier only when what they hold has changed, so a
 * rotated Secret is used from the next alert on without a restart.
 */
final class GlobalNotifierFromFiles implements Notifier {
  private static final Logger LOG = Logger.getLogger(GlobalNotifierFromFiles.class.getName());

  private final GlobalNotifierSettings settings;
  private final NotifierFactory factory;
  private GlobalNotifierSettings lastResolved;
  private Optional<Notifier> last = Optional.empty();

  GlobalNotifierFromFiles(GlobalNotifierSettings settings, NotifierFactory factory) {
    this.settings = settings;
    this.factory = factory;
  }

  @Override
  public void post(
      String workload, String namespace, String message, List<Field> fields, AlertSeverity severity)
      throws NotifierException {
    Optional<Notifier> current = current();
    if (current.isEmpty()) {
      LOG.fine(() -> "No global notifier URL in " + settings.files().byKey().keySet());
      return;
    }
    current.get().post(workload, namespace, message, fields, severity);
  }

  /** The notifier for what the files hold now; empty when they hold no URL. */
  synchronized Optional<Notifier> current() throws NotifierException {
    GlobalNotifierSettings resolved = settings.resolve();
    if (!resolved.equals(lastResolved)) {
      last = factory.build(resolved);
      lastResolved = resolved;
    }
    return last;
  }
}
