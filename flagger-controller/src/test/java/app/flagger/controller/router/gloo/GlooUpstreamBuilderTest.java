package app.flagger.controller.router.gloo;

import static app.flagger.controller.router.gloo.GlooFixtures.canary;
import static app.flagger.controller.support.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Upstreams against what Flagger's GlooRouter creates for the same Canary. */
class GlooUpstreamBuilderTest {
  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  private static Map<String, Object> config() {
    return spec(GlooFixtures.configUpstream());
  }

  @Test
  void namesCarryNamespaceApexAndPortAsTheGlooObserverExpects() {
    Canary c = canary();

    assertThat(GlooUpstreamBuilder.primaryName(c))
        .isEqualTo("default-podinfo-primaryupstream-9898");
    assertThat(GlooUpstreamBuilder.canaryName(c)).isEqualTo("default-podinfo-canaryupstream-9898");
    // Gloo names the Envoy cluster <upstream>_<namespace>; the builtin queries select
    // envoy_cluster_name=~"<ns>-<target>-canaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+"
    assertThat(GlooUpstreamBuilder.canaryName(c) + "_default")
        .matches("default-podinfo-canaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+");
  }

  /** Flagger's upstream without upstreamRef: only the kube section, no labels. */
  @Test
  void withoutUpstreamRefTheUpstreamIsAKubeServiceUpstream() {
    GenericKubernetesResource u =
        GlooUpstreamBuilder.build(
            canary(),
            "default-podinfo-canaryupstream-9898",
            "podinfo-canary",
            Map.of("app", "podinfo-canary"),
            null);

    assertThat(u.getApiVersion()).isEqualTo("gloo.solo.io/v1");
    assertThat(u.getKind()).isEqualTo("Upstream");
    assertThat(u.getMetadata().getName()).isEqualTo("default-podinfo-canaryupstream-9898");
    assertThat(u.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(u.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(u.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("podinfo"));
    assertThat(spec(u))
        .isEqualTo(
            yaml(
                """
                kube:
                  serviceName: podinfo-canary
                  serviceNamespace: default
                  servicePort: 9898
                  selector:
                    app: podinfo-canary
                """));
  }

  /** Flagger's e2e config upstream: its connection settings are copied, its static hosts not. */
  @Test
  void upstreamRefSettingsAreCopied() {
    GenericKubernetesResource u =
        GlooUpstreamBuilder.build(
            canary(),
            "default-podinfo-primaryupstream-9898",
            "podinfo-primary",
            Map.of("app", "podinfo-primary"),
            config());

    assertThat(spec(u))
        .isEqualTo(
            yaml(
                """
                connectionConfig:
                  connectTimeout: 2s
                  maxRequestsPerConnection: 51
                loadBalancerConfig:
                  roundRobin:
                    slowStartConfig:
                      slowStartWindow: 2m
                      minWeightPercent: 5
                kube:
                  serviceName: podinfo-primary
                  serviceNamespace: default
                  servicePort: 9898
                  selector:
                    app: podinfo-primary
                """));
  }

  @Test
  void everyFieldFlaggerCopiesIsCopied() {
    Map<String, Object> config =
        yaml(
            """
            labels: {tier: edge}
            sslConfig: {sni: podinfo.example.com}
            circuitBreakers: {maxConnections: 10}
            connectionConfig: {connectTimeout: 2s}
            loadBalancerConfig: {leastRequest: {choiceCount: 3}}
            useHttp2: true
            initialStreamWindowSize: 65536
            initialConnectionWindowSize: 65536
            httpProxyHostname: proxy.example.com
            healthChecks: [{timeout: 1s}]
            static: {hosts: [{addr: example.com, port: 80}]}
            """);

    assertThat(GlooUpstreamBuilder.copied(config))
        .containsOnlyKeys(GlooUpstreamBuilder.COPIED)
        .containsEntry("httpProxyHostname", "proxy.example.com");
  }

  @Test
  void syncedReplacesTheCopiedFieldsAndKeepsTheRest() {
    Map<String, Object> current = new LinkedHashMap<>(config());
    current.put("kube", Map.of("serviceName", "podinfo-primary"));
    current.put("healthChecks", "set by hand");
    Map<String, Object> changed =
        yaml(
            """
            loadBalancerConfig:
              roundRobin:
                slowStartConfig:
                  slowStartWindow: 2m
                  minWeightPercent: 20
            """);

    assertThat(GlooUpstreamBuilder.outdated(current, config())).isFalse();
    assertThat(GlooUpstreamBuilder.outdated(current, changed)).isTrue();
    Map<String, Object> synced = GlooUpstreamBuilder.synced(current, changed);
    assertThat(synced)
        .containsEntry("loadBalancerConfig", changed.get("loadBalancerConfig"))
        .containsEntry("kube", Map.of("serviceName", "podinfo-primary"))
        .containsEntry("healthChecks", "set by hand")
        .doesNotContainKey("connectionConfig");
  }
}
