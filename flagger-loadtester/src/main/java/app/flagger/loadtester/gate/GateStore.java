package app.flagger.loadtester.gate;

/**
 * State of manual gates. Keys are Flagger's: {@code <name>.<namespace>} for the promotion gate and
 * {@code rollback.<name>.<namespace>} for the rollback gate; unknown keys are closed.
 */
public interface GateStore {
  boolean isOpen(String key);

  void open(String key);

  void close(String key);

  static String gateKey(String name, String namespace) {
    return name + "." + namespace;
  }

  static String rollbackKey(String name, String namespace) {
    return "rollback." + name + "." + namespace;
  }
}
