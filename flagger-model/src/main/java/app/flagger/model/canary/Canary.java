package app.flagger.model.canary;

import app.flagger.model.FlaggerGroup;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Flagger Canary: {@code canaries.flagger.app/v1beta1}. */
@Group(FlaggerGroup.GROUP)
@Version(FlaggerGroup.VERSION)
@Kind("Canary")
@Plural("canaries")
@Singular("canary")
public class Canary extends CustomResource<CanarySpec, CanaryStatus> implements Namespaced {

  /** {@code name.namespace}, the form Flagger's messages and logs use. */
  public String key() {
    return getMetadata().getName() + "." + getMetadata().getNamespace();
  }
}
