package app.flagger.model.metric;

import app.flagger.model.FlaggerGroup;
import app.flagger.model.common.ConditionsStatus;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A reusable metric query: {@code metrictemplates.flagger.app/v1beta1}. */
@Group(FlaggerGroup.GROUP)
@Version(FlaggerGroup.VERSION)
@Kind("MetricTemplate")
@Plural("metrictemplates")
@Singular("metrictemplate")
public class MetricTemplate extends CustomResource<MetricTemplateSpec, ConditionsStatus>
    implements Namespaced {}
