package app.flagger.model.istio;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A URI or authority rewrite; {@code type} is read by the Gateway API router ({@code
 * ReplacePrefixMatch} or a full path replacement).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpRewrite(String uri, String authority, String type) {}
