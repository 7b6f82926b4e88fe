package app.flagger.model.canary;

import app.flagger.model.common.StringEnum;

/** How a Canary releases, derived from its analysis; used in metric labels and alerts. */
public enum DeploymentStrategy implements StringEnum {
  CANARY("canary"),
  BLUE_GREEN("blue-green"),
  AB_TESTING("ab-testing");

  private final String value;

  DeploymentStrategy(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }
}
