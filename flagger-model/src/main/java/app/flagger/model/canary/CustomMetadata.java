package app.flagger.model.canary;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Labels and annotations for a generated object. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomMetadata(Map<String, String> labels, Map<String, String> annotations) {}
