package app.flagger.model.metric;

import app.flagger.model.common.SecretReference;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The backend a MetricTemplate's query runs against. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricTemplateProvider(
    String type,
    String address,
    Map<String, List<String>> headers,
    SecretReference secretRef,
    String region,
    Boolean insecureSkipVerify) {}
