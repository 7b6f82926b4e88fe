package app.flagger.model.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CanaryWebhookPayloadTest {
  @Test
  void serializesLikeFlaggerAndOmitsEmptyMetadata() {
    var p = new CanaryWebhookPayload("podinfo", "test", "Progressing", "85d557f47b", Map.of());
    assertThat(p.toJson())
        .isEqualTo(
            "{\"name\":\"podinfo\",\"namespace\":\"test\",\"phase\":\"Progressing\",\"checksum\":\"85d557f47b\"}");
  }

  @Test
  void parsesTheDocumentedEventPayload() {
    String json =
        "{\"name\":\"podinfo\",\"namespace\":\"default\",\"phase\":\"Progressing\",\"metadata\":"
            + "{\"eventMessage\":\"New revision detected! Scaling up podinfo.default\","
            + "\"eventType\":\"Normal\",\"timestamp\":\"1578607635167\"}}";
    var p = CanaryWebhookPayload.parse(json);
    assertThat(p.name()).isEqualTo("podinfo");
    assertThat(p.metadata())
        .containsEntry(
            CanaryWebhookPayload.EVENT_MESSAGE, "New revision detected! Scaling up podinfo.default")
        .containsEntry(CanaryWebhookPayload.TIMESTAMP, "1578607635167");
    assertThat(CanaryWebhookPayload.parse(p.toJson())).isEqualTo(p);
  }

  @Test
  void badPayloadsNameTheField() {
    assertThatThrownBy(() -> CanaryWebhookPayload.parse("{\"namespace\":\"x\"}"))
        .hasMessage("name: required, must be a non-empty string");
    assertThatThrownBy(
            () ->
                CanaryWebhookPayload.parse(
                    "{\"name\":\"a\",\"namespace\":\"x\",\"metadata\":{\"cmd\":1}}"))
        .hasMessageStartingWith("metadata.cmd: must be a string");
    assertThatThrownBy(() -> CanaryWebhookPayload.parse("{not json"))
        .hasMessageStartingWith("payload is not valid JSON");
  }
}
