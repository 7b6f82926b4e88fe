package app.flagger.model.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A status holding only conditions (MetricTemplate and AlertProvider; never written). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConditionsStatus(List<Condition> conditions) {}
