package app.flagger.controller.tick;

/**
 * One named step of a tick. A step does its own job through the collaborators it was given (scale a
 * workload, set routes, call a webhook) and says what happened; it never writes the Canary's
 * status. Router and target failures may be thrown ({@code RouterException}, {@code
 * TargetException}, {@code KubernetesClientException}): the tick turns them into a Warning event.
 */
@FunctionalInterface
public interface Step {
  Decision run(Tick tick);
}
