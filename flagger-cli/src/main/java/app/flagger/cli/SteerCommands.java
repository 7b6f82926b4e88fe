package app.flagger.cli;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.common.GoDuration;
import app.flagger.model.control.ControlAction;
import app.flagger.model.control.ControlCommand;
import app.flagger.model.control.ControlStatus;
import app.flagger.model.json.Jsons;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * The steering commands: each writes a {@link ControlCommand} with a fresh id into the Canary's
 * annotation (a JSON merge patch of {@code metadata.annotations}, so nothing else changes), after
 * checking client-side that the Canary's phase is one its action applies in.
 */
final class SteerCommands {
  private SteerCommands() {}

  /** What every steering command shares: the Canary, {@code --wait} and {@code --timeout}. */
  abstract static class Steer extends KubeCommand.OneCanary {
    @Option(
        names = "--wait",
        description = "Wait until the controller acknowledges the command and print its answer.")
    boolean await;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        defaultValue = "60s",
        converter = GoDurationConverter.class,
        description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    abstract ControlAction action();

    /** Checks the arguments before the cluster is asked; throws {@link ParameterException}. */
    void validate() {}

    /** The gate to approve; null for every action but approve. */
    String gate(Canary canary) {
      return null;
    }

    /** How the request is named in the output: {@code promote}, {@code promote --full}. */
    String verb(ControlCommand cmd) {
      return cmd.action().value();
    }

    @Override
    public Integer call() {
      validate();
      var out = spec.commandLine().getOut();
      try (KubeOptions.Kube k = kube.connect()) {
        Canary canary = Canaries.get(k, name);
        String gate = gate(canary);
        ControlAction action = action();
        CanaryPhase phase = Progress.status(canary).phaseOrNone();
        if (!action.phases().contains(phase)) {
          throw new Refused(
              "cannot "
                  + action.value()
                  + " canary "
                  + canary.key()
                  + ": "
                  + (phase == CanaryPhase.NONE ? "it has no phase yet" : "it is " + phase.value())
                  + "; "
                  + action.value()
                  + " applies when it is "
                  + phases(action));
        }
        ControlCommand cmd =
            new ControlCommand(
                UUID.randomUUID().toString(),
                action,
                gate,
                Users.of(k),
                root.clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        String patch =
            Jsons.createObjectBuilder()
                .add(
                    "metadata",
                    Jsons.createObjectBuilder()
                        .add(
                            "annotations",
                            Jsons.createObjectBuilder()
                                .add(ControlCommand.ANNOTATION, cmd.toJson())))
                .build()
                .toString();
        k.client()
            .resources(Canary.class)
            .inNamespace(k.namespace())
            .withName(name)
            .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        out.println(verb(cmd) + " requested for canary " + canary.key() + " (id " + cmd.id() + ")");
        out.flush();
        return await ? awaitAcknowledgement(k, canary, cmd) : Cli.DONE;
      }
    }

    private int awaitAcknowledgement(KubeOptions.Kube k, Canary canary, ControlCommand cmd) {
      Canary acked;
      try {
        acked =
            k.client()
                .resources(Canary.class)
                .inNamespace(k.namespace())
                .withName(name)
                .waitUntilCondition(
                    c -> c == null || cmd.id().equals(control(c).lastCommandId()),
                    timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
      } catch (KubernetesClientTimeoutException e) {
        throw new Refused(
            "the controller did not acknowledge "
                + cmd.id()
                + " within "
                + GoDuration.format(timeout)
                + " (is it running?); the command stays in the annotation "
                + ControlCommand.ANNOTATION);
      }
      if (acked == null) {
        throw new Refused("canary " + canary.key() + " was deleted");
      }
      ControlStatus c = control(acked);
      String answer =
          c.lastCommandResult()
              + (c.lastCommandMessage() == null ? "" : ": " + c.lastCommandMessage());
      if (ControlStatus.ACCEPTED.equals(c.lastCommandResult())) {
        spec.commandLine().getOut().println(answer);
        spec.commandLine().getOut().flush();
        return Cli.DONE;
      }
      throw new Refused(answer);
    }

    private static ControlStatus control(Canary c) {
      return Progress.status(c).controlOrEmpty();
    }

    private static String phases(ControlAction action) {
      var names =
          action.phases().stream()
              .sorted(Comparator.naturalOrder())
              .map(CanaryPhase::value)
              .collect(Collectors.toList());
      if (names.size() == 1) {
        return names.get(0);
      }
      return String.join(", ", names.subList(0, names.size() - 1))
          + " or "
          + names.get(names.size() - 1);
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description = {
        "Advance one step at the next tick: past a pause or a closed gate, without counting its checks.",
        "With --full, skip the remaining steps and promote the canary."
      })
  static final class Promote extends Steer {
    @Option(names = "--full", description = "Skip the remaining steps and promote now.")
    boolean full;

    @Override
    ControlAction action() {
      return full ? ControlAction.PROMOTE_FULL : ControlAction.PROMOTE;
    }

    @Override
    String verb(ControlCommand cmd) {
      return full ? "promote --full" : "promote";
    }
  }

  @Command(
      name = "abort",
      mixinStandardHelpOptions = true,
      description = "Roll back now; the release ends Failed, with an event naming who asked.")
  static final class Abort extends Steer {
    @Override
    ControlAction action() {
      return ControlAction.ABORT;
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Analyse a Failed release again, without a change to the spec.")
  static final class Retry extends Steer {
    @Override
    ControlAction action() {
      return ControlAction.RETRY;
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Hold the release at its current step until resume (spec.suspend untouched).")
  static final class Pause extends Steer {
    @Override
    ControlAction action() {
      return ControlAction.PAUSE;
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Continue a release held by pause.")
  static final class Resume extends Steer {
    @Override
    ControlAction action() {
      return ControlAction.RESUME;
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = {
        "Open a manual gate once, as an approving webhook would; who may is decided by RBAC"
            + " (patch on canaries).",
        "GATE defaults to the gate the release waits at: confirm-rollout when Waiting,"
            + " confirm-promotion when WaitingPromotion, confirm-traffic-increase when"
            + " Progressing with such a webhook."
      })
  static final class Approve extends Steer {
    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "GATE",
        description = "confirm-rollout, confirm-traffic-increase or confirm-promotion.")
    String gate;

    @Override
    ControlAction action() {
      return ControlAction.APPROVE;
    }

    @Override
    void validate() {
      if (gate != null && !ControlCommand.GATES.contains(gate)) {
        throw new ParameterException(
            spec.commandLine(),
            "GATE: expected one of "
                + String.join(", ", ControlCommand.GATES)
                + ", got '"
                + gate
                + "'");
      }
    }

    @Override
    String gate(Canary canary) {
      if (gate != null) {
        return gate;
      }
      Optional<String> waiting = Gates.waitingAt(canary);
      return waiting.orElseThrow(
          () ->
              new ParameterException(
                  spec.commandLine(),
                  "GATE: canary "
                      + canary.key()
                      + " is "
                      + CanaryTable.phase(canary)
                      + " and not known to wait at a gate; name one of "
                      + String.join(", ", ControlCommand.GATES)));
    }

    @Override
    String verb(ControlCommand cmd) {
      return "approve " + cmd.gate();
    }
  }

  /** Go durations: {@code 60s}, {@code 2m}, {@code 1m30s}. */
  static final class GoDurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return GoDuration.parse(value)
          .filter(d -> !d.isNegative() && !d.isZero())
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "expected a positive duration such as 60s or 2m, got '" + value + "'"));
    }
  }
}
