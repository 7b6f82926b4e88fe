package app.flagger.loadtester.gate;

import java.util.HashSet;
import java.util.Set;

/** Gates in process memory, as Flagger keeps them: lost on restart, not shared. For tests. */
public final class InMemoryGateStore implements GateStore {
  private final Set<GateKey> open = new HashSet<>();
  private final int max;

  public InMemoryGateStore() {
    this(DEFAULT_MAX_GATES);
  }

  /**
   * @param max most gates open at once
   */
  public InMemoryGateStore(int max) {
    this.max = max;
  }

  @Override
  public synchronized boolean isOpen(GateKey key) {
    return open.contains(key);
  }

  @Override
  public synchronized void open(GateKey key) {
    if (!open.contains(key) && open.size() >= max) {
      throw GateStoreFullException.atMost(max, key);
    }
    open.add(key);
  }

  @Override
  public synchronized void close(GateKey key) {
    open.remove(key);
  }
}
