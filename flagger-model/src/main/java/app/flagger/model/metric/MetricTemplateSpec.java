package app.flagger.model.metric;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A provider and a query template: {@code spec} of a MetricTemplate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricTemplateSpec(MetricTemplateProvider provider, String query) {}
