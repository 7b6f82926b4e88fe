package app.flagger.controller.events;

/** Somewhere events go: Kubernetes Events, the JSON log, the event webhook, a test recorder. */
@FunctionalInterface
public interface EventSink {
  /** Records an event; never throws. */
  void record(CanaryEvent event);
}
