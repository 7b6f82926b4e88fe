package app.flagger.model.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A reference that may name another namespace ({@code upstreamRef}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CrossNamespaceObjectReference(
    String apiVersion, String kind, String name, String namespace) {}
