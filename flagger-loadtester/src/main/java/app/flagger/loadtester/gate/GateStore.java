package app.flagger.loadtester.gate;

/**
 * State of manual gates; unknown gates are closed. A store holds at most a bounded number of open
 * gates: opening one more throws {@link GateStoreFullException}, while re-opening an open gate and
 * closing one always succeed.
 */
public interface GateStore {
  /** Default of {@code loadtester.gates.max}. */
  int DEFAULT_MAX_GATES = 10_000;

  boolean isOpen(GateKey key);

  /**
   * @throws GateStoreFullException when {@code key} is closed and the store is full
   */
  void open(GateKey key);

  void close(GateKey key);
}
