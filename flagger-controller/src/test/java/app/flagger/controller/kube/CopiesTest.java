package app.flagger.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CopiesTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static GenericKubernetesResource virtualService() {
    return JSON.unmarshal(
        """
        {"apiVersion":"networking.istio.io/v1beta1","kind":"VirtualService",
         "metadata":{"name":"podinfo","namespace":"test","resourceVersion":"7",
           "labels":{"app":"podinfo"},
           "ownerReferences":[{"apiVersion":"flagger.app/v1beta1","kind":"Canary","name":"podinfo",
             "uid":"u1","controller":true}]},
         "spec":{"hosts":["podinfo"],"http":[{"route":[
           {"destination":{"host":"podinfo-primary"},"weight":90},
           {"destination":{"host":"podinfo-canary"},"weight":10}]}],"exportTo":null,
           "retries":{"attempts":3,"perTryTimeout":"1s","retryOn":true}}}
        """,
        GenericKubernetesResource.class);
  }

  @Test
  void aGenericCopyEqualsTheJsonRoundTrip() {
    GenericKubernetesResource vs = virtualService();

    assertThat(Copies.of(vs)).isEqualTo(JSON.clone(vs));
    assertThat(JSON.asJson(Copies.of(vs))).isEqualTo(JSON.asJson(vs));
  }

  @Test
  @SuppressWarnings("unchecked")
  void changingAGenericCopyLeavesTheOriginalAlone() {
    GenericKubernetesResource vs = virtualService();
    String before = JSON.asJson(vs);

    GenericKubernetesResource copy = Copies.of(vs);
    Map<String, Object> spec = (Map<String, Object>) copy.getAdditionalProperties().get("spec");
    List<Map<String, Object>> http = (List<Map<String, Object>>) spec.get("http");
    List<Map<String, Object>> route = (List<Map<String, Object>>) http.get(0).get("route");
    route.get(0).put("weight", 80);
    route.remove(1);
    ((List<Object>) spec.get("hosts")).add("other");
    copy.getMetadata().getLabels().put("app", "changed");
    copy.getMetadata().getOwnerReferences().get(0).setName("changed");
    copy.getMetadata().setResourceVersion("8");
    copy.setAdditionalProperty("status", Map.of());

    assertThat(JSON.asJson(vs)).isEqualTo(before);
  }

  @Test
  void aServiceCopyIsEqualAndIndependent() {
    Service svc =
        new ServiceBuilder()
            .withNewMetadata()
            .withName("podinfo")
            .withNamespace("test")
            .addToLabels("app", "podinfo")
            .addToAnnotations("a", "b")
            .endMetadata()
            .withNewSpec()
            .addToSelector("app", "podinfo-primary")
            .addNewPort()
            .withName("http")
            .withPort(9898)
            .withTargetPort(new IntOrString("http"))
            .endPort()
            .endSpec()
            .build();
    String before = JSON.asJson(svc);

    Service copy = Copies.of(svc);
    assertThat(copy).isEqualTo(JSON.clone(svc));
    copy.getSpec().getSelector().put("app", "podinfo");
    copy.getSpec().getPorts().get(0).setPort(80);
    copy.getMetadata().getAnnotations().clear();

    assertThat(JSON.asJson(svc)).isEqualTo(before);
  }
}
