package app.flagger.cli;

import app.flagger.model.canary.Canary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kubectl flagger status NAME [--watch]}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show a release: phase, weights, step, the last analysis' metric checks, gates, steering,"
          + " the last events and the decision log.",
      "With --watch, redraw on every change of the Canary or its events until it is deleted"
          + " (Ctrl-C to stop)."
    })
final class StatusCommand extends KubeCommand.OneCanary {
  @Option(
      names = {"-w", "--watch"},
      description = "Redraw in place on every change.")
  boolean watch;

  @Override
  public Integer call() throws InterruptedException {
    var out = spec.commandLine().getOut();
    try (KubeOptions.Kube k = kube.connect()) {
      if (watch) {
        return new StatusWatch(k, name, out, root.clock).run();
      }
      Canary c = Canaries.get(k, name);
      out.print(StatusView.render(c, Canaries.events(k, name), root.clock.instant()));
      out.flush();
      return Cli.DONE;
    }
  }
}
