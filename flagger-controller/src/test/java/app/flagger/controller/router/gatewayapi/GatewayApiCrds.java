package app.flagger.controller.router.gatewayapi;

import app.flagger.controller.support.Crds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Registers the test HTTPRoute CRD (v1 and v1beta1, status subresource) in the mock. */
public final class GatewayApiCrds {
  private GatewayApiCrds() {}

  public static void register(KubernetesClient client) {
    try (InputStream in =
        GatewayApiCrds.class.getResourceAsStream("/crds/gateway-api-httproutes.yaml")) {
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      Crds.create(client, crd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
