package app.flagger.cli;

import app.flagger.model.canary.Canary;
import java.time.Instant;
import java.util.List;

/** The table {@code kubectl flagger get} prints. */
final class CanaryTable {
  private CanaryTable() {}

  /**
   * One row per Canary: NAME PHASE WEIGHT STEP FAILED LAST-TRANSITION, with a leading NAMESPACE
   * column when {@code namespaces}.
   */
  static String render(List<Canary> canaries, boolean namespaces, Instant now) {
    Table t =
        namespaces
            ? new Table("NAMESPACE", "NAME", "PHASE", "WEIGHT", "STEP", "FAILED", "LAST-TRANSITION")
            : new Table("NAME", "PHASE", "WEIGHT", "STEP", "FAILED", "LAST-TRANSITION");
    for (Canary c : canaries) {
      String name = c.getMetadata().getName();
      String phase = phase(c);
      String age = Ages.since(Progress.status(c).lastTransitionTime(), now);
      String weight = Progress.weight(c);
      String step = Progress.step(c);
      String failed = Progress.failed(c);
      if (namespaces) {
        t.row(c.getMetadata().getNamespace(), name, phase, weight, step, failed, age);
      } else {
        t.row(name, phase, weight, step, failed, age);
      }
    }
    return t.render("");
  }

  /** The phase, {@code <none>} before the controller first saw the Canary. */
  static String phase(Canary c) {
    String p = Progress.status(c).phaseOrNone().value();
    return p.isEmpty() ? "<none>" : p;
  }
}
