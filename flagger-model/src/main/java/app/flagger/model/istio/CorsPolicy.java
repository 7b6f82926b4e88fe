package app.flagger.model.istio;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Istio's CorsPolicy. {@code allowOrigin} is Istio's deprecated exact-origin list. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CorsPolicy(
    List<String> allowOrigin,
    List<StringMatch> allowOrigins,
    List<String> allowMethods,
    List<String> allowHeaders,
    List<String> exposeHeaders,
    String maxAge,
    Boolean allowCredentials) {}
