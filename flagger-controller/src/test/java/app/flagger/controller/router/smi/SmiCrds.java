package app.flagger.controller.router.smi;

import app.flagger.controller.support.Crds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Registers the test TrafficSplit CRD (v1alpha1, v1alpha2, v1alpha3) in the mock. */
public final class SmiCrds {
  private SmiCrds() {}

  public static void register(KubernetesClient client) {
    try (InputStream in = SmiCrds.class.getResourceAsStream("/crds/smi-trafficsplits.yaml")) {
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      Crds.create(client, crd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
