package app.flagger.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A subcommand: kubectl's connection options, the root (for the clock) and picocli's spec. */
abstract class KubeCommand implements Callable<Integer> {
  @Mixin KubeOptions kube;

  @ParentCommand FlaggerCommand root;

  @Spec CommandSpec spec;

  /** A subcommand about one Canary, named by the first parameter. */
  abstract static class OneCanary extends KubeCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The Canary.")
    String name;
  }
}
