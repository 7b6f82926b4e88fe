package app.flagger.model.istio;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Istio's StringMatch: one of {@code exact}, {@code prefix}, {@code regex} (or {@code suffix}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StringMatch(String exact, String prefix, String regex, String suffix) {
  public static StringMatch exact(String value) {
    return new StringMatch(value, null, null, null);
  }
}
