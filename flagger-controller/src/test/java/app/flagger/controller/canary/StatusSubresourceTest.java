package app.flagger.controller.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

class StatusSubresourceTest {
  @Test
  void readsTheResourceVersionOfTheMetadataPastNestedMembers() {
    String reply =
        """
        {"apiVersion":"flagger.app/v1beta1","kind":"Canary",
         "spec":{"resourceVersion":"spec"},
         "metadata":{"name":"podinfo","labels":{"resourceVersion":"label"},
           "managedFields":[{"manager":"x","fieldsV1":{"f:metadata":{}}}],
           "annotations":{"a":"b"},"resourceVersion":"4711","generation":3},
         "status":{"resourceVersion":"status"}}
        """;

    assertThat(StatusSubresource.resourceVersion(reply)).isEqualTo("4711");
  }

  @Test
  void aReplyWithoutAResourceVersionIsAnError() {
    assertThatThrownBy(
            () ->
                StatusSubresource.resourceVersion(
                    "{\"metadata\":{\"labels\":{\"resourceVersion\":\"1\"}},\"resourceVersion\":\"2\"}"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("metadata.resourceVersion");
  }
}
