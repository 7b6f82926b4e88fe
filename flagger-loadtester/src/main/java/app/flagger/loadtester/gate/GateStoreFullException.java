package app.flagger.loadtester.gate;

/**
 * Opening one more gate would take the store past its bound ({@code loadtester.gates.max}, or the
 * ConfigMap size limit); the gate service answers 507 with {@link #getMessage()}.
 */
public final class GateStoreFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GateStoreFullException(String message) {
    super(message);
  }

  /** The message for a store holding {@code max} open gates. */
  static GateStoreFullException atMost(int max, GateKey refused) {
    return new GateStoreFullException(
        "gate store full: "
            + max
            + " open gates is the limit (loadtester.gates.max); "
            + refused
            + " was not opened. Close gates that are no longer needed (/gate/close,"
            + " /rollback/close) or raise loadtester.gates.max");
  }
}
