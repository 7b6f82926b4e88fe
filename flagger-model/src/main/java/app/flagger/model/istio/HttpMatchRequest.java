package app.flagger.model.istio;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Istio's HTTPMatchRequest, used by {@code spec.service.match} and {@code spec.analysis.match}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpMatchRequest(
    String name,
    StringMatch uri,
    StringMatch scheme,
    StringMatch method,
    StringMatch authority,
    Map<String, StringMatch> headers,
    Integer port,
    Map<String, String> sourceLabels,
    List<String> gateways,
    Map<String, StringMatch> queryParams,
    Boolean ignoreUriCase,
    Map<String, StringMatch> withoutHeaders,
    String sourceNamespace) {}
