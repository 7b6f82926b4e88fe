package app.flagger.model.crd;

import app.flagger.model.alert.AlertProviderType;
import app.flagger.model.canary.AutoscalerReference;
import app.flagger.model.canary.ComparisonDirection;
import app.flagger.model.canary.ComparisonKind;
import app.flagger.model.canary.WebhookType;
import app.flagger.model.common.StringEnum;
import app.flagger.model.metric.MetricProviderType;
import app.flagger.model.provider.MeshProvider;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the schema says beyond the Java types, with Flagger's CRD as the source: required fields,
 * enums, patterns, bounds, defaults and the analysis oneOf. Keyed by kind and path ({@code []} for
 * array items, {@code {}} for map values).
 */
final class CrdRules {
  private CrdRules() {}

  private static final String DURATION = "^[0-9]+(m|s)";

  /**
   * Model fields the CRD leaves out: the deprecated {@code canaryAnalysis} alias, which Flagger's
   * v1beta1 CRD does not list either.
   */
  private static final Set<String> EXCLUDED = Set.of("Canary:spec.canaryAnalysis");

  static boolean excluded(String kind, String path) {
    return EXCLUDED.contains(kind + ":" + path);
  }

  static List<String> rootRequired(String kind) {
    return List.of("spec");
  }

  static List<CustomResourceColumnDefinition> canaryColumns() {
    return List.of(
        CrdGenerator.column("Status", "string", ".status.phase", 0),
        CrdGenerator.column("Weight", "string", ".status.canaryWeight", 0),
        CrdGenerator.column("Suspended", "boolean", ".spec.suspend", 1),
        CrdGenerator.column("FailedChecks", "string", ".status.failedChecks", 1),
        CrdGenerator.column("Interval", "string", ".spec.analysis.interval", 1),
        CrdGenerator.column("Mirror", "boolean", ".spec.analysis.mirror", 1),
        CrdGenerator.column("StepWeight", "string", ".spec.analysis.stepWeight", 1),
        CrdGenerator.column("StepWeights", "string", ".spec.analysis.stepWeights", 1),
        CrdGenerator.column("MaxWeight", "string", ".spec.analysis.maxWeight", 1),
        CrdGenerator.column("LastTransitionTime", "string", ".status.lastTransitionTime", 0));
  }

  static void apply(String kind, String path, JSONSchemaPropsBuilder b) {
    switch (kind + ":" + path) {
      case "Canary:spec" -> b.withRequired("targetRef", "analysis");
      case "Canary:spec.provider" ->
          b.withEnum(CrdGenerator.strings(MeshProvider.IMPLEMENTED_VALUES));
      case "Canary:spec.targetRef" -> {
        b.withRequired("apiVersion", "kind", "name");
      }
      case "Canary:spec.targetRef.kind" ->
          b.withEnum(CrdGenerator.strings(List.of("DaemonSet", "Deployment", "Service")));
      case "Canary:spec.autoscalerRef" -> b.withRequired("apiVersion", "kind", "name");
      case "Canary:spec.autoscalerRef.kind" ->
          b.withEnum(CrdGenerator.strings(AutoscalerReference.KINDS));
      case "Canary:spec.autoscalerRef.primaryScalerReplicas.minReplicas",
          "Canary:spec.autoscalerRef.primaryScalerReplicas.maxReplicas" ->
          b.withMinimum(1.0);
      case "Canary:spec.ingressRef", "Canary:spec.routeRef", "Canary:spec.upstreamRef" ->
          b.withRequired("apiVersion", "kind", "name");
      case "Canary:spec.ingressRef.kind" -> b.withEnum(CrdGenerator.strings(List.of("Ingress")));
      case "Canary:spec.routeRef.kind" -> b.withEnum(CrdGenerator.strings(List.of("ApisixRoute")));
      case "Canary:spec.upstreamRef.kind" -> b.withEnum(CrdGenerator.strings(List.of("Upstream")));
      case "Canary:spec.service" -> b.withRequired("port");
      case "Canary:spec.service.port" -> b.withMinimum(1.0).withMaximum(65535.0);
      case "Canary:spec.service.trafficDistribution" ->
          b.withEnum(
              CrdGenerator.strings(List.of("PreferClose", "PreferSameZone", "PreferSameNode")));
      case "Canary:spec.service.gatewayRefs" -> b.withMaxItems(32L);
      case "Canary:spec.service.gatewayRefs[]" -> b.withRequired("name");
      case "Canary:spec.service.gatewayRefs[].group" ->
          b.withDefault(CrdGenerator.string("gateway.networking.k8s.io"));
      case "Canary:spec.service.gatewayRefs[].kind" ->
          b.withDefault(CrdGenerator.string("Gateway"));
      case "Canary:spec.service.trafficPolicy.loadBalancer.simple" ->
          b.withEnum(
              CrdGenerator.strings(
                  List.of("ROUND_ROBIN", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "LEAST_REQUEST")));
      case "Canary:spec.service.trafficPolicy.connectionPool.http.h2UpgradePolicy" ->
          b.withEnum(CrdGenerator.strings(List.of("DEFAULT", "DO_NOT_UPGRADE", "UPGRADE")));
      case "Canary:spec.service.trafficPolicy.tls.mode" ->
          b.withEnum(CrdGenerator.strings(List.of("DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL")));
      case "Canary:spec.analysis" -> analysis(b);
      case "Canary:spec.analysis.interval",
          "Canary:spec.analysis.metrics[].interval",
          "Canary:spec.analysis.webhooks[].timeout" ->
          b.withPattern(DURATION);
      case "Canary:spec.analysis.maxWeight",
          "Canary:spec.analysis.stepWeight",
          "Canary:spec.analysis.stepWeightPromotion",
          "Canary:spec.analysis.primaryReadyThreshold",
          "Canary:spec.analysis.canaryReadyThreshold",
          "Canary:spec.analysis.mirrorWeight",
          "Canary:spec.analysis.stepWeights[]" ->
          b.withMinimum(0.0).withMaximum(100.0);
      case "Canary:spec.analysis.metrics[]" -> b.withRequired("name");
      case "Canary:spec.analysis.metrics[].templateRef" -> b.withRequired("name");
      case "Canary:spec.analysis.metrics[].comparison.totalTemplateRef" -> b.withRequired("name");
      case "Canary:spec.analysis.metrics[].comparison.direction" ->
          b.withEnum(CrdGenerator.strings(StringEnum.values(ComparisonDirection.class)));
      case "Canary:spec.analysis.metrics[].comparison.kind" ->
          b.withEnum(CrdGenerator.strings(StringEnum.values(ComparisonKind.class)));
      case "Canary:spec.analysis.metrics[].comparison.tolerance" ->
          b.withMinimum(0.0).withExclusiveMinimum(true).withMaximum(1.0);
      case "Canary:spec.analysis.metrics[].comparison.weight" ->
          b.withMinimum(0.0).withExclusiveMinimum(true);
      case "Canary:spec.analysis.judge.pass", "Canary:spec.analysis.judge.marginal" ->
          b.withMinimum(0.0).withMaximum(100.0);
      case "Canary:spec.analysis.webhooks[]" -> b.withRequired("name", "url");
      case "Canary:spec.analysis.webhooks[].url" -> b.withFormat("url");
      case "Canary:spec.analysis.webhooks[].type" ->
          b.withEnum(CrdGenerator.strings(webhookTypes()));
      case "Canary:spec.analysis.alerts[]" -> b.withRequired("name", "providerRef");
      case "Canary:spec.analysis.alerts[].severity" ->
          b.withEnum(CrdGenerator.strings(List.of("", "info", "warn", "error")));
      case "Canary:spec.analysis.alerts[].providerRef" -> b.withRequired("name");
      case "Canary:spec.analysis.sessionAffinity" -> b.withRequired("cookieName");
      case "Canary:spec.analysis.sessionAffinity.maxAge" ->
          b.withDefault(tools.jackson.databind.node.JsonNodeFactory.instance.numberNode(86400));
      case "Canary:spec.analysis.sessionAffinity.sameSite" ->
          b.withEnum(CrdGenerator.strings(List.of("Strict", "Lax", "None")));
      case "Canary:status.conditions[]" -> b.withRequired("type", "status", "reason");
      case "MetricTemplate:status.conditions[]", "AlertProvider:status.conditions[]" ->
          b.withRequired("type", "status");
      case "Canary:status.conditions[].status",
          "MetricTemplate:status.conditions[].status",
          "AlertProvider:status.conditions[].status" ->
          b.withEnum(CrdGenerator.strings(List.of("True", "False", "Unknown")));
      case "Canary:status.lastTransitionTime",
          "Canary:status.conditions[].lastTransitionTime",
          "Canary:status.conditions[].lastUpdateTime" ->
          b.withFormat("date-time");
      case "MetricTemplate:spec" -> b.withRequired("provider", "query");
      case "MetricTemplate:spec.provider" -> b.withRequired("type");
      case "MetricTemplate:spec.provider.type" ->
          b.withEnum(CrdGenerator.strings(MetricProviderType.IMPLEMENTED_VALUES));
      case "MetricTemplate:spec.provider.address",
          "AlertProvider:spec.address",
          "AlertProvider:spec.proxy" ->
          b.withFormat("url");
      case "MetricTemplate:spec.provider.secretRef", "AlertProvider:spec.secretRef" ->
          b.withRequired("name");
      case "AlertProvider:spec" -> {
        b.withRequired("type");
        b.withOneOf(
            requiredSet(List.of("type", "address")), requiredSet(List.of("type", "secretRef")));
      }
      case "AlertProvider:spec.type" ->
          b.withEnum(
              CrdGenerator.strings(
                  Arrays.stream(AlertProviderType.values())
                      .map(AlertProviderType::value)
                      .toList()));
      default -> {}
    }
  }

  private static void analysis(JSONSchemaPropsBuilder b) {
    b.withOneOf(
        requiredSet(List.of("interval", "threshold", "iterations")),
        requiredSet(List.of("interval", "threshold", "stepWeight")),
        requiredSet(List.of("interval", "threshold", "stepWeights")));
  }

  private static JSONSchemaProps requiredSet(List<String> fields) {
    return new JSONSchemaPropsBuilder().withRequired(new ArrayList<>(fields)).build();
  }

  private static List<String> webhookTypes() {
    return Stream.concat(Stream.of(""), Arrays.stream(WebhookType.values()).map(WebhookType::value))
        .toList();
  }
}
