package app.flagger.model.canary;

import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.common.NamedReference;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/** An alert subscription of the analysis: which AlertProvider, from which severity on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryAlert(String name, String severity, NamedReference providerRef) {

  /**
   * The severity; an empty one means {@code info}, as Flagger's docs say (Flagger's code never
   * sends those, which we treat as a bug). Unknown strings are empty.
   */
  public Optional<AlertSeverity> severityOrDefault() {
    return AlertSeverity.parse(severity);
  }
}
