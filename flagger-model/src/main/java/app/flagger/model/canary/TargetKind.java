package app.flagger.model.canary;

import app.flagger.model.common.StringEnum;
import java.util.Optional;

/** The kinds of workload a Canary can target. */
public enum TargetKind implements StringEnum {
  DEPLOYMENT("Deployment"),
  DAEMON_SET("DaemonSet"),
  SERVICE("Service");

  private final String value;

  TargetKind(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }

  public static Optional<TargetKind> parse(String s) {
    return StringEnum.parse(TargetKind.class, s);
  }
}
