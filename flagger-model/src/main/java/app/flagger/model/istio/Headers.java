package app.flagger.model.istio;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Request and response header operations of the generated route. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Headers(HeaderOperations request, HeaderOperations response) {}
