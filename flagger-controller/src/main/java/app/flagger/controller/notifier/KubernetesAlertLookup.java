package app.flagger.controller.notifier;

import app.flagger.controller.kube.SecretData;
import app.flagger.model.alert.AlertProvider;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;

/** {@link AlertLookup} on a fabric8 client. */
public final class KubernetesAlertLookup implements AlertLookup {
  private final KubernetesClient client;

  public KubernetesAlertLookup(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public AlertProvider alertProvider(String namespace, String name) throws LookupException {
    try {
      AlertProvider p =
          client.resources(AlertProvider.class).inNamespace(namespace).withName(name).get();
      if (p == null) {
        throw new LookupException("alertproviders.flagger.app \"" + name + "\" not found");
      }
      return p;
    } catch (KubernetesClientException e) {
      throw new LookupException(e.getMessage());
    }
  }

  @Override
  public Map<String, String> secretData(String namespace, String name) throws LookupException {
    try {
      Secret s = client.secrets().inNamespace(namespace).withName(name).get();
      if (s == null) {
        throw new LookupException("secrets \"" + name + "\" not found");
      }
      return SecretData.decode(s);
    } catch (KubernetesClientException e) {
      throw new LookupException(e.getMessage());
    }
  }
}
