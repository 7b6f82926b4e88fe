package app.flagger.model.canary;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A Gateway API request-mirror filter added to generated routes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestMirrorFilter(BackendRef backendRef, Integer percent, Fraction fraction) {

  /** The backend receiving mirrored requests. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BackendRef(
      String group, String kind, String name, String namespace, Integer port) {}

  /** Share of requests mirrored, as a fraction. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Fraction(Integer numerator, Integer denominator) {}
}
