package app.flagger.model.istio;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Retry policy of the generated route. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpRetry(Integer attempts, String perTryTimeout, String retryOn) {}
