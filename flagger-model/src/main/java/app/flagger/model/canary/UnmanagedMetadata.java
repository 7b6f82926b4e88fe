package app.flagger.model.canary;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Label and annotation keys on generated services that Flagger must leave alone. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UnmanagedMetadata(List<String> annotations, List<String> labels) {}
