package app.flagger.controller.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.TestFactories;
import app.flagger.model.alert.AlertProvider;
import app.flagger.model.alert.AlertProviderSpec;
import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAlert;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.common.LocalObjectReference;
import app.flagger.model.common.NamedReference;
import app.flagger.model.common.SecretReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** An alert end to end: AlertProvider and Secret from the API, Slack over HTTP. */
@EnableKubernetesMockClient(crud = true)
class AlertProviderKubeTest {
  KubernetesClient client;

  @Test
  void sendsToTheAddressAndTokenOfTheProviderSecret() throws Exception {
    try (MockWebServer slack = new MockWebServer()) {
      slack.start();
      slack.enqueue(new MockResponse.Builder().code(200).body("ok").build());
      client
          .secrets()
          .inNamespace("flagger")
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("slack")
                  .withNamespace("flagger")
                  .endMetadata()
                  .withStringData(
                      Map.of(
                          "address",
                          slack.url("/api/chat.postMessage").toString(),
                          "token",
                          "xoxb-7"))
                  .build())
          .create();
      AlertProvider provider = new AlertProvider();
      provider.setMetadata(
          new ObjectMetaBuilder().withName("on-call").withNamespace("flagger").build());
      provider.setSpec(
          new AlertProviderSpec("slack", "alerts", null, null, null, new SecretReference("slack")));
      client.resources(AlertProvider.class).resource(provider).create();

      Canary canary = new Canary();
      canary.setMetadata(new ObjectMetaBuilder().withName("podinfo").withNamespace("test").build());
      CanaryAnalysis analysis =
          new CanaryAnalysis(
              "1m",
              5,
              null,
              null,
              null,
              null,
              10,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              List.of(new CanaryAlert("on-call", "warn", new NamedReference("on-call", "flagger"))),
              null);
      canary.setSpec(
          new CanarySpec(
              null,
              null,
              new LocalObjectReference("apps/v1", "Deployment", "podinfo"),
              null,
              null,
              null,
              null,
              null,
              analysis,
              null,
              null,
              null,
              null,
              null));

      AlertDispatcher dispatcher =
          new AlertDispatcher(
              new KubernetesAlertLookup(client),
              TestFactories.notifiers(),
              Optional.empty(),
              "prod");
      dispatcher.alert(
          canary,
          "Canary analysis completed successfully, promotion finished.",
          false,
          AlertSeverity.INFO);
      dispatcher.alert(canary, "Failed checks threshold reached 5", true, AlertSeverity.ERROR);

      RecordedRequest request = slack.takeRequest(5, TimeUnit.SECONDS);
      assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer xoxb-7");
      String body = request.getBody().utf8();
      assertThat(body)
          .contains("\"channel\":\"alerts\"")
          .contains("\"username\":\"flagger\"")
          .contains("\"text\":\"Failed checks threshold reached 5\"")
          .contains("\"color\":\"danger\"")
          .contains("{\"title\":\"Traffic routing\",\"value\":\"Blue/Green\",\"short\":false}");
      assertThat(slack.getRequestCount()).isEqualTo(1);
    }
  }
}
