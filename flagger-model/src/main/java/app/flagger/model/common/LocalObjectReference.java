package app.flagger.model.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A reference to an object in the Canary's namespace ({@code targetRef}, {@code ingressRef}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LocalObjectReference(String apiVersion, String kind, String name) {}
