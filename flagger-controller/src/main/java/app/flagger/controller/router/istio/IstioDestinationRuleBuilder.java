package app.flagger.controller.router.istio;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The desired DestinationRules {@code <apex>-primary} and {@code <apex>-canary}: host = own name,
 * {@code trafficPolicy} copied from {@code spec.service.trafficPolicy}. Pure: no client.
 */
public final class IstioDestinationRuleBuilder {
  private IstioDestinationRuleBuilder() {}

  /**
   * The DestinationRule for the service {@code host} ({@code <apex>-primary} or {@code -canary}).
   */
  public static GenericKubernetesResource build(Canary canary, String host) {
    return IstioObjects.resource(
        "DestinationRule", IstioObjects.metadata(canary, host, null), spec(canary, host));
  }

  static Map<String, Object> spec(Canary canary, String host) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("host", host);
    CanaryService service = canary.getSpec().service();
    if (service != null && service.trafficPolicy() != null) {
      spec.put("trafficPolicy", IstioObjects.toMap(service.trafficPolicy()));
    }
    return spec;
  }
}
