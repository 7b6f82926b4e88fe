package app.flagger.controller.scheduler;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAlert;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.validation.ValidationError;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code no-cross-namespace-refs}: templates, alert providers and upstreams in the Canary's
 * namespace.
 */
final class CrossNamespaceRefs {
  private CrossNamespaceRefs() {}

  static List<ValidationError> check(Canary canary) {
    String ns = canary.getMetadata().getNamespace();
    List<ValidationError> out = new ArrayList<>();
    var up = canary.getSpec().upstreamRef();
    if (up != null
        && up.namespace() != null
        && !up.namespace().isEmpty()
        && !ns.equals(up.namespace())) {
      out.add(
          new ValidationError(
              "spec.upstreamRef",
              "can't access gloo upstream "
                  + up.name()
                  + "."
                  + up.namespace()
                  + ", cross-namespace references are blocked"));
    }
    CanaryAnalysis a = canary.getSpec().analysisOrLegacy();
    if (a == null) {
      return out;
    }
    for (CanaryMetric m : a.metricsOrEmpty()) {
      if (m.templateRef() != null && !ns.equals(m.templateRef().namespaceOr(ns))) {
        out.add(
            new ValidationError(
                "spec.analysis.metrics",
                "can't access metric template "
                    + m.templateRef().name()
                    + "."
                    + m.templateRef().namespace()
                    + ", cross-namespace references are blocked"));
      }
    }
    for (CanaryAlert al : a.alertsOrEmpty()) {
      if (al.providerRef() != null && !ns.equals(al.providerRef().namespaceOr(ns))) {
        out.add(
            new ValidationError(
                "spec.analysis.alerts",
                "can't access alert provider "
                    + al.providerRef().name()
                    + "."
                    + al.providerRef().namespace()
                    + ", cross-namespace references are blocked"));
      }
    }
    return out;
  }
}
