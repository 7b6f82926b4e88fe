package app.flagger.controller.observe;

import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Registry helpers. */
final class Meters {
  private Meters() {}

  /**
   * Removes the meters named {@code name} whose tags (ignoring Helidon's {@code scope}) equal
   * {@code tags}, so a gauge can be re-bound to a new value holder.
   */
  static void removeSame(MeterRegistry registry, String name, Map<String, String> tags) {
    for (Meter m : List.copyOf(registry.meters())) {
      if (!m.id().name().equals(name)) {
        continue;
      }
      Map<String, String> t = new HashMap<>(m.id().tagsMap());
      t.remove("scope");
      if (t.equals(tags)) {
        registry.remove(m);
      }
    }
  }
}
