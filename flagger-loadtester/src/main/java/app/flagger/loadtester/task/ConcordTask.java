package app.flagger.loadtester.task;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flagger's {@code concord} task: start a Concord process and wait until it finishes. Blocking,
 * like Flagger's: 200 when the process finished, 500 with the reason otherwise.
 *
 * @param server base URL of the Concord server, one the operator allowed
 * @param apiKeyPath file holding the Concord API key (a mounted Secret), sent as {@code
 *     Authorization}
 * @param endpoint passed to the process as {@code arguments.endpoint}
 * @param arguments further process arguments ({@code arguments.<name>} metadata)
 * @param pollInterval how often the status is read
 * @param pollTimeout how long the process may take
 */
public record ConcordTask(
    String canary,
    URI server,
    String org,
    String project,
    String repo,
    String entrypoint,
    Path apiKeyPath,
    String endpoint,
    Map<String, String> arguments,
    Duration pollInterval,
    Duration pollTimeout,
    boolean returnOutput)
    implements Task {

  public ConcordTask {
    arguments = Map.copyOf(new TreeMap<>(arguments));
  }

  @Override
  public String command() {
    return "concord " + org + " " + project + " " + repo + " " + entrypoint;
  }

  @Override
  public boolean blocking() {
    return true;
  }
}
