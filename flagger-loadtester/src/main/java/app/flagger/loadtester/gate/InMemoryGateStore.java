package app.flagger.loadtester.gate;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Gates in process memory, as Flagger keeps them: lost on restart, not shared. For tests. */
public final class InMemoryGateStore implements GateStore {
  private final Set<String> open = ConcurrentHashMap.newKeySet();

  @Override
  public boolean isOpen(String key) {
    return open.contains(key);
  }

  @Override
  public void open(String key) {
    open.add(key);
  }

  @Override
  public void close(String key) {
    open.remove(key);
  }
}
