package app.flagger.model.validation;

import app.flagger.model.canary.AutoscalerReference;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.ServiceTargets;
import app.flagger.model.canary.TargetKind;
import app.flagger.model.common.CrossNamespaceObjectReference;
import app.flagger.model.common.LocalObjectReference;
import app.flagger.model.provider.MeshProvider;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/**
 * Checks a Canary and reports every problem of its spec at once, each naming the field path and
 * what was expected. The controller acts only on Canaries this validator accepts.
 */
public final class CanaryValidator {
  private static final List<String> TRAFFIC_DISTRIBUTIONS =
      List.of("PreferClose", "PreferSameZone", "PreferSameNode");

  private final AnalysisValidator analysis = new AnalysisValidator();

  /** The problems of {@code canary}; empty when it is valid. */
  public List<ValidationError> validate(Canary canary) {
    Problems p = new Problems();
    CanarySpec spec = canary.getSpec();
    if (!p.required("spec", spec)) {
      return p.list();
    }
    provider(p, spec.provider());
    ingressRef(p, spec);
    queryValues(p, canary);
    targetRef(p, spec.targetRef());
    serviceTarget(p, spec);
    autoscalerRef(p, spec.autoscalerRef());
    upstreamRef(p, spec.upstreamRef());
    if (spec.service() != null || !ServiceTargets.isKnative(spec.targetRef())) {
      // a Knative target needs none: Knative splits traffic on the target Service itself
      service(p, spec.service());
    }
    skipper(p, spec);
    apisix(p, spec);
    p.atLeast("spec.progressDeadlineSeconds", spec.progressDeadlineSeconds(), 1);
    baselineTarget(p, spec);
    if (spec.analysis() != null) {
      analysis.validate(p, "spec.analysis", spec.analysis());
    } else if (spec.canaryAnalysis() != null) {
      analysis.validate(p, "spec.canaryAnalysis", spec.canaryAnalysis());
    } else {
      p.add("spec.analysis", "required");
    }
    return p.list();
  }

  private static void provider(Problems p, String provider) {
    if (provider != null && !MeshProvider.isCrdValue(provider)) {
      p.add(
          "spec.provider",
          "unknown provider '"
              + provider
              + "', expected one of "
              + String.join(", ", MeshProvider.CRD_VALUES));
    } else if (provider != null && !MeshProvider.isImplemented(provider)) {
      p.add("spec.provider", MeshProvider.notImplementedMessage(provider));
    }
  }

  /**
   * The nginx provider routes through a copy of the Ingress {@code spec.ingressRef} names (Flagger
   * fails each reconcile with {@code ingress selector is empty} without one). Only a Canary's own
   * {@code spec.provider} is known here; with the controller's {@code mesh-provider} the router
   * reports the same.
   */
  private static void ingressRef(Problems p, CanarySpec spec) {
    if (!MeshProvider.NGINX.value().equals(spec.provider())) {
      return;
    }
    if (spec.ingressRef() == null) {
      p.add("spec.ingressRef", "required with provider nginx: the Ingress to the apex service");
    } else if (spec.ingressRef().name() == null || spec.ingressRef().name().isBlank()) {
      p.add("spec.ingressRef.name", "required with provider nginx");
    }
  }

  /** The names a metric query can contain ({@code {{ target }}}, {@code {{ service }}}, ...). */
  private static void queryValues(Problems p, Canary canary) {
    if (canary.getMetadata() != null) {
      p.plain("metadata.name", canary.getMetadata().getName());
      p.plain("metadata.namespace", canary.getMetadata().getNamespace());
    }
    CanarySpec spec = canary.getSpec();
    if (spec.targetRef() != null) {
      p.plain("spec.targetRef.name", spec.targetRef().name());
    }
    if (spec.service() != null) {
      p.plain("spec.service.name", spec.service().name());
    }
    if (spec.ingressRef() != null) {
      p.plain("spec.ingressRef.name", spec.ingressRef().name());
    }
    if (spec.routeRef() != null) {
      p.plain("spec.routeRef.name", spec.routeRef().name());
    }
  }

  /**
   * Skipper copies the {@code ingressRef} Ingress and splits all of its traffic by weight: the
   * Ingress is required and A/B matches cannot be honoured (Flagger would send every request to the
   * canary).
   */
  private static void skipper(Problems p, CanarySpec spec) {
    if (!"skipper".equals(spec.provider())) {
      return;
    }
    if (p.required("spec.ingressRef", spec.ingressRef())) {
      p.required("spec.ingressRef.name", spec.ingressRef().name());
    }
    var analysis = spec.analysisOrLegacy();
    if (analysis != null && analysis.match() != null && !analysis.match().isEmpty()) {
      p.add(
          spec.analysis() != null ? "spec.analysis.match" : "spec.canaryAnalysis.match",
          "the skipper provider cannot route by request headers or cookies (A/B testing),"
              + " remove match to shift traffic by weight");
    }
  }

  /**
   * The {@code apisix} provider copies the http route of the {@code routeRef} ApisixRoute
   * (Flagger's router fails with {@code apisix route selector is empty} without one) and shifts
   * traffic by weight only: an A/B test ({@code analysis.match}) would send every request to the
   * canary.
   */
  private static void apisix(Problems p, CanarySpec spec) {
    if (!"apisix".equals(spec.provider())) {
      return;
    }
    if (spec.routeRef() == null
        || spec.routeRef().name() == null
        || spec.routeRef().name().isBlank()) {
      p.add(
          spec.routeRef() == null ? "spec.routeRef" : "spec.routeRef.name",
          "required for the apisix provider: the ApisixRoute whose http route to the apex"
              + " service Flagger copies");
    }
    var analysis = spec.analysisOrLegacy();
    if (analysis != null && analysis.match() != null && !analysis.match().isEmpty()) {
      p.add(
          spec.analysis() != null ? "spec.analysis.match" : "spec.canaryAnalysis.match",
          "the apisix provider does not support A/B testing (it shifts traffic by weight only)");
    }
  }

  /** A same-age baseline is a copy of the primary Deployment: other targets have none. */
  private static void baselineTarget(Problems p, CanarySpec spec) {
    var analysis = spec.analysisOrLegacy();
    LocalObjectReference ref = spec.targetRef();
    if (analysis == null || !analysis.usesBaseline() || ref == null || ref.kind() == null) {
      return;
    }
    if (!"Deployment".equals(ref.kind())) {
      p.add(
          spec.analysis() != null ? "spec.analysis.baseline" : "spec.canaryAnalysis.baseline",
          "supported for Deployment targets only (the baseline is a copy of the primary"
              + " Deployment), not "
              + ref.kind());
    }
  }

  private static void targetRef(Problems p, LocalObjectReference ref) {
    if (!p.required("spec.targetRef", ref)) {
      return;
    }
    p.required("spec.targetRef.name", ref.name());
    p.required("spec.targetRef.apiVersion", ref.apiVersion());
    if (p.required("spec.targetRef.kind", ref.kind()) && TargetKind.parse(ref.kind()).isEmpty()) {
      p.add(
          "spec.targetRef.kind",
          "must be Deployment, DaemonSet or Service, got '" + ref.kind() + "'");
    }
  }

  /**
   * A Service target: a Knative Service goes with the {@code knative} provider only and without an
   * autoscaler (Flagger's {@code verifyKnativeCanary}); a plain Service with the providers that
   * route to Services by name ({@link ServiceTargets#PROVIDERS}), with no autoscaler (it has no
   * workload) and with its own name as the service name (the routers send traffic to {@code
   * <service.name>-primary}, which Flagger creates as {@code <targetRef.name>-primary}).
   */
  private static void serviceTarget(Problems p, CanarySpec spec) {
    LocalObjectReference ref = spec.targetRef();
    if (ref == null || ref.kind() == null) {
      return;
    }
    String provider = spec.provider();
    if (ServiceTargets.isKnative(ref)) {
      if (!"knative".equals(provider)) {
        p.add(
            "spec.provider",
            "can't use '"
                + (provider == null ? "" : provider)
                + "' provider with Knative Service as target, expected knative");
      }
      if (spec.autoscalerRef() != null) {
        p.add("spec.autoscalerRef", "can't use autoscaler with Knative Service");
      }
      return;
    }
    if (!ServiceTargets.isService(ref)) {
      if ("knative".equals(provider)) {
        p.add(
            "spec.targetRef.kind",
            "can't use "
                + ref.apiVersion()
                + "/"
                + ref.kind()
                + " as target if provider is set to knative");
      }
      return;
    }
    ServiceTargets.refusal(provider).ifPresent(m -> p.add("spec.targetRef.kind", m));
    if (spec.autoscalerRef() != null) {
      p.add(
          "spec.autoscalerRef",
          "a Service target has no workload to scale, remove autoscalerRef or target a"
              + " Deployment");
    }
    CanaryService s = spec.service();
    if (s != null
        && s.name() != null
        && !s.name().isEmpty()
        && ref.name() != null
        && !s.name().equals(ref.name())) {
      p.add(
          "spec.service.name",
          "must be empty or '"
              + ref.name()
              + "' (spec.targetRef.name) for a Service target, got '"
              + s.name()
              + "'");
    }
  }

  private static void autoscalerRef(Problems p, AutoscalerReference ref) {
    if (ref == null) {
      return;
    }
    p.required("spec.autoscalerRef.name", ref.name());
    p.required("spec.autoscalerRef.apiVersion", ref.apiVersion());
    if (p.required("spec.autoscalerRef.kind", ref.kind())
        && !AutoscalerReference.KINDS.contains(ref.kind())) {
      p.add(
          "spec.autoscalerRef.kind",
          "must be HorizontalPodAutoscaler or ScaledObject, got '" + ref.kind() + "'");
    }
    AutoscalerReference.ScalerReplicas r = ref.primaryScalerReplicas();
    if (r != null) {
      p.atLeast("spec.autoscalerRef.primaryScalerReplicas.minReplicas", r.minReplicas(), 1);
      p.atLeast("spec.autoscalerRef.primaryScalerReplicas.maxReplicas", r.maxReplicas(), 1);
      if (r.minReplicas() != null && r.maxReplicas() != null && r.minReplicas() > r.maxReplicas()) {
        p.add(
            "spec.autoscalerRef.primaryScalerReplicas",
            "minReplicas " + r.minReplicas() + " is above maxReplicas " + r.maxReplicas());
      }
    }
  }

  /** The Gloo Upstream whose settings the generated Upstreams copy, as the CRD requires it. */
  private static void upstreamRef(Problems p, CrossNamespaceObjectReference ref) {
    if (ref == null) {
      return;
    }
    p.required("spec.upstreamRef.name", ref.name());
    p.required("spec.upstreamRef.apiVersion", ref.apiVersion());
    if (p.required("spec.upstreamRef.kind", ref.kind()) && !"Upstream".equals(ref.kind())) {
      p.add("spec.upstreamRef.kind", "must be Upstream, got '" + ref.kind() + "'");
    }
  }

  private static void service(Problems p, CanaryService s) {
    if (!p.required("spec.service", s)) {
      return;
    }
    if (p.required("spec.service.port", s.port())) {
      p.range("spec.service.port", s.port(), 1, 65535);
    }
    targetPort(p, s.targetPort());
    p.oneOf(
        "spec.service.trafficDistribution",
        s.trafficDistribution(),
        TRAFFIC_DISTRIBUTIONS,
        "traffic distribution");
    p.duration("spec.service.timeout", s.timeout());
    p.duration("spec.service.backendTimeout", s.backendTimeout());
    if (Boolean.TRUE.equals(s.delegation())
        && ((s.hosts() != null && !s.hosts().isEmpty())
            || (s.gateways() != null && !s.gateways().isEmpty()))) {
      p.add("spec.service.delegation", "a delegate VirtualService cannot have hosts or gateways");
    }
    if (s.gatewayRefs() != null) {
      if (s.gatewayRefs().size() > 32) {
        p.add("spec.service.gatewayRefs", "at most 32 entries, got " + s.gatewayRefs().size());
      }
      for (int i = 0; i < s.gatewayRefs().size(); i++) {
        p.required("spec.service.gatewayRefs[" + i + "].name", s.gatewayRefs().get(i).name());
      }
    }
  }

  private static void targetPort(Problems p, IntOrString port) {
    if (port == null) {
      return;
    }
    if (port.getIntVal() != null) {
      p.range("spec.service.targetPort", port.getIntVal(), 1, 65535);
    } else if (port.getStrVal() == null || port.getStrVal().isBlank()) {
      p.add("spec.service.targetPort", "must be a port number or a container port name");
    }
  }
}
