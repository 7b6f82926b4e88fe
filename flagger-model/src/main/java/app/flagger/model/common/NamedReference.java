package app.flagger.model.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A reference by name, with an optional namespace ({@code templateRef}, {@code providerRef}); the
 * namespace defaults to the referring object's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NamedReference(String name, String namespace) {
  /** The namespace, or {@code fallback} when none is set. */
  public String namespaceOr(String fallback) {
    return namespace == null || namespace.isEmpty() ? fallback : namespace;
  }
}
