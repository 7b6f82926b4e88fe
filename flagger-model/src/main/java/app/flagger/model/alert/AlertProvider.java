package app.flagger.model.alert;

import app.flagger.model.FlaggerGroup;
import app.flagger.model.common.ConditionsStatus;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A chat endpoint for alerts: {@code alertproviders.flagger.app/v1beta1}. */
@Group(FlaggerGroup.GROUP)
@Version(FlaggerGroup.VERSION)
@Kind("AlertProvider")
@Plural("alertproviders")
@Singular("alertprovider")
public class AlertProvider extends CustomResource<AlertProviderSpec, ConditionsStatus>
    implements Namespaced {}
