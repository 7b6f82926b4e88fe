package app.flagger.model.canary;

import java.util.Optional;

/** The kinds of workload a Canary can target. */
public enum TargetKind {
  DEPLOYMENT("Deployment"),
  DAEMON_SET("DaemonSet"),
  SERVICE("Service");

  private final String value;

  TargetKind(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<TargetKind> parse(String s) {
    for (TargetKind k : values()) {
      if (k.value.equals(s)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
