package app.flagger.model.istio;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Headers to add, set or remove on requests or responses. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeaderOperations(
    Map<String, String> add, Map<String, String> set, List<String> remove) {}
