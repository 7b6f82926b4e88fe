package app.flagger.controller.events;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Canaries that only carry the metadata an event is about. */
final class TestCanaries {
  private TestCanaries() {}

  /** Canary {@code name} in namespace {@code test}, uid {@code uid-<name>}. */
  static Canary named(String name) {
    Canary c = new Canary();
    c.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("test")
            .withUid("uid-" + name)
            .withResourceVersion("7")
            .build());
    return c;
  }
}
