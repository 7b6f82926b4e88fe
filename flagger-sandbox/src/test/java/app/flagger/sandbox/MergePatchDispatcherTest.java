package app.flagger.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** The sandbox API applies JSON merge patches as RFC 7386 says: arrays replaced, null removes. */
class MergePatchDispatcherTest {

  @Test
  void mergesObjectsReplacesArraysAndRemovesNulls() {
    var target =
        Serialization.jsonMapper().readTree("{\"a\":{\"b\":1,\"c\":[1,2]},\"d\":\"x\",\"e\":true}");
    var patch = Serialization.jsonMapper().readTree("{\"a\":{\"c\":[3]},\"d\":null,\"f\":2}");
    assertThat(MergePatchDispatcher.apply(target, patch).toString())
        .isEqualTo("{\"a\":{\"b\":1,\"c\":[3]},\"e\":true,\"f\":2}");
  }

  @Test
  void aMergePatchOfAnArrayReplacesItInTheApi() {
    try (SandboxApiServer api = SandboxApiServer.start(0)) {
      api.client()
          .services()
          .inNamespace("test")
          .resource(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName("podinfo")
                  .endMetadata()
                  .withNewSpec()
                  .addNewPort()
                  .withName("http")
                  .withPort(9898)
                  .endPort()
                  .endSpec()
                  .build())
          .create();
      String patch = "{\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":9898}]}}";
      for (int i = 0; i < 3; i++) {
        api.client()
            .services()
            .inNamespace("test")
            .withName("podinfo")
            .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      }
      assertThat(
              api.client()
                  .services()
                  .inNamespace("test")
                  .withName("podinfo")
                  .get()
                  .getSpec()
                  .getPorts())
          .hasSize(1);
    }
  }
}
