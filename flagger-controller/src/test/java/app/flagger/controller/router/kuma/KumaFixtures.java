package app.flagger.controller.router.kuma;

import app.flagger.controller.support.Crds;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Canaries for the Kuma tests (Flagger's {@code newTestSMICanary}) and the test CRD. */
public final class KumaFixtures {
  private KumaFixtures() {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Registers the test TrafficRoute CRD (cluster-scoped, kuma.io/v1alpha1) in the mock. */
  public static void registerCrd(KubernetesClient client) {
    try (InputStream in = KumaFixtures.class.getResourceAsStream("/crds/kuma-trafficroutes.yaml")) {
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      Crds.create(client, crd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Flagger's SMI test canary on {@code kuma}, with {@code annotations} and {@code service} (port
   * 9898 when blank).
   */
  static Canary canary(String annotationsYaml, String serviceYaml) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: default
          uid: 6f1c1d2e-0000-4000-8000-000000000003
        %s
        spec:
          provider: kuma
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
          service:
        %s
          analysis:
            threshold: 10
            stepWeight: 10
            maxWeight: 50
        """
            .formatted(
                annotationsYaml.isBlank()
                    ? ""
                    : "  annotations:\n" + annotationsYaml.stripIndent().indent(4).stripTrailing(),
                (serviceYaml.isBlank() ? "port: 9898" : serviceYaml)
                    .stripIndent()
                    .indent(4)
                    .stripTrailing());
    return SERIALIZATION.unmarshal(yaml, Canary.class);
  }

  static Canary canary() {
    return canary("", "");
  }
}
