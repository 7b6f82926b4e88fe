package app.flagger.model.canary;

/** How a Canary releases, derived from its analysis; used in metric labels and alerts. */
public enum DeploymentStrategy {
  CANARY("canary"),
  BLUE_GREEN("blue-green"),
  AB_TESTING("ab-testing");

  private final String value;

  DeploymentStrategy(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }
}
