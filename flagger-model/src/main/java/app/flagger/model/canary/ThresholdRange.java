package app.flagger.model.canary;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The accepted range of a metric's value; either bound may be missing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThresholdRange(Double min, Double max) {}
