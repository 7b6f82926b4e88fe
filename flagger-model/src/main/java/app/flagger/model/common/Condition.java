package app.flagger.model.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A status condition. Canaries carry a single {@code Promoted} condition whose reason is the phase.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
    String type,
    String status,
    String lastUpdateTime,
    String lastTransitionTime,
    String reason,
    String message) {}
