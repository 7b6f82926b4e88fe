package app.flagger.loadtester.task;

import java.net.URI;
import java.time.Duration;

/**
 * Flagger's {@code ngrinder} task: clone an nGrinder test and start it, then poll it until it ends.
 * Asynchronous, like Flagger's: the webhook answers 202 and the result is only logged.
 *
 * @param server base URL of the nGrinder server, one the operator allowed
 * @param cloneId the template test to clone
 * @param username HTTP basic user
 * @param password HTTP basic password (decoded from the base64 {@code passwd}); never printed
 * @param pollInterval how often the status is read
 */
public record NGrinderTask(
    String canary,
    URI server,
    long cloneId,
    String username,
    String password,
    Duration pollInterval)
    implements Task {

  @Override
  public String command() {
    return "ngrinder " + server.resolve("perftest/api/" + cloneId + "/clone_and_start");
  }

  @Override
  public boolean blocking() {
    return false;
  }

  @Override
  public boolean returnOutput() {
    return false;
  }

  /** Flagger's key: the canary plus the clone id. */
  @Override
  public String key() {
    return canary + "\nngrinder " + cloneId;
  }

  @Override
  public String toString() {
    return "NGrinderTask[canary=" + canary + ", " + command() + ", username=" + username + "]";
  }
}
