package app.flagger.controller.events;

import app.flagger.model.FlaggerGroup;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/** Records each event as a core/v1 Event on the Canary, reason {@code Synced}. */
public final class KubernetesEventSink implements EventSink {
  private static final Logger LOG = Logger.getLogger(KubernetesEventSink.class.getName());

  private final KubernetesClient client;

  public KubernetesEventSink(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void record(CanaryEvent e) {
    var meta = e.canary().getMetadata();
    String ts = e.time().toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                meta.getName()
                    + "."
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()))
            .withNamespace(meta.getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(FlaggerGroup.API_VERSION)
            .withKind("Canary")
            .withName(meta.getName())
            .withNamespace(meta.getNamespace())
            .withUid(meta.getUid())
            .withResourceVersion(meta.getResourceVersion())
            .endInvolvedObject()
            .withReason(FlaggerGroup.EVENT_REASON)
            .withMessage(e.message())
            .withType(e.type().value())
            .withNewSource()
            .withComponent(FlaggerGroup.COMPONENT)
            .endSource()
            .withFirstTimestamp(ts)
            .withLastTimestamp(ts)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
    } catch (KubernetesClientException ex) {
      LOG.warning("recording event on canary " + e.canary().key() + " failed: " + ex.getMessage());
    }
  }
}
