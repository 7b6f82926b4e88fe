package app.flagger.controller.tick;

import app.flagger.controller.canary.TargetException;
import app.flagger.model.logging.JsonLogFormatter;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * "scale down target": once the apex service selects the primary, an initializing Canary's target
 * runs no pods until the next release.
 */
final class ScaleDownTarget implements Step {
  private static final Logger LOG = Logger.getLogger(ScaleDownTarget.class.getName());

  @Override
  public Decision run(Tick t) {
    if (!t.initializing()) {
      return Decision.CONTINUE;
    }
    LOG.log(
        Level.INFO,
        "Scaling down " + t.targetKind() + " " + t.targetKey(),
        new JsonLogFormatter.CanaryField(t.key()));
    try {
      t.target().scaleToZero(t.canary());
    } catch (TargetException e) {
      return Decision.warn(
          "scaling down canary "
              + t.targetKind()
              + " "
              + t.targetKey()
              + " failed: "
              + e.getMessage());
    }
    return Decision.CONTINUE;
  }
}
