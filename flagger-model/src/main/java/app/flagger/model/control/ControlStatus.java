package app.flagger.model.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code status.control}: what the controller did with the last {@link ControlCommand} and the
 * steering still in force. Written by the controller only.
 *
 * @param lastCommandId the id of the last command handled; a command with this id is not handled
 *     again
 * @param lastCommandAction its action
 * @param lastCommandResult {@code Accepted}, {@code Ignored} (makes no sense in the phase) or
 *     {@code Invalid} (the annotation did not parse)
 * @param lastCommandMessage the event's message, e.g. {@code Promotion requested by alice}
 * @param lastCommandTime when it was handled
 * @param paused held at the current step by a pause, until a resume
 * @param pausedBy who paused it
 * @param promoteNext a promote not carried out yet: the next step is taken at the next tick
 * @param promoteFull a full promotion not carried out yet
 * @param abort a rollback not carried out yet
 * @param approvedGates gates opened by approve and not asked yet; each opens its gate once
 * @param queuedSince when this revision started waiting for a slot under the concurrency limit;
 *     null when it is not waiting
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlStatus(
    String lastCommandId,
    String lastCommandAction,
    String lastCommandResult,
    String lastCommandMessage,
    String lastCommandTime,
    Boolean paused,
    String pausedBy,
    Boolean promoteNext,
    Boolean promoteFull,
    Boolean abort,
    List<String> approvedGates,
    String queuedSince) {

  public static final String ACCEPTED = "Accepted";
  public static final String IGNORED = "Ignored";
  public static final String INVALID = "Invalid";

  /** No command handled, nothing in force. */
  public static final ControlStatus EMPTY =
      new ControlStatus(null, null, null, null, null, null, null, null, null, null, null, null);

  public boolean pausedOrFalse() {
    return Boolean.TRUE.equals(paused);
  }

  public boolean promoteNextOrFalse() {
    return Boolean.TRUE.equals(promoteNext);
  }

  public boolean promoteFullOrFalse() {
    return Boolean.TRUE.equals(promoteFull);
  }

  public boolean abortOrFalse() {
    return Boolean.TRUE.equals(abort);
  }

  public List<String> approvedGatesOrEmpty() {
    return approvedGates == null ? List.of() : approvedGates;
  }
}
