package app.flagger.model.canary;

import app.flagger.model.istio.CorsPolicy;
import app.flagger.model.istio.Headers;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.istio.HttpRetry;
import app.flagger.model.istio.HttpRewrite;
import app.flagger.model.istio.TrafficPolicy;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/** The services and routes generated for a Canary: {@code spec.service}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryService(
    String name,
    Integer port,
    String portName,
    IntOrString targetPort,
    String appProtocol,
    String trafficDistribution,
    Boolean portDiscovery,
    Boolean headless,
    String timeout,
    String backendTimeout,
    List<String> gateways,
    List<ParentReference> gatewayRefs,
    List<String> hosts,
    Boolean delegation,
    TrafficPolicy trafficPolicy,
    List<HttpMatchRequest> match,
    HttpRewrite rewrite,
    HttpRetry retries,
    Headers headers,
    List<RequestMirrorFilter> mirror,
    CorsPolicy corsPolicy,
    String meshName,
    List<String> backends,
    CustomMetadata apex,
    CustomMetadata primary,
    CustomMetadata canary,
    UnmanagedMetadata unmanagedMetadata) {

  /** The port name, {@code http} by default. */
  public String portNameOrDefault() {
    return portName == null || portName.isEmpty() ? "http" : portName;
  }

  /** The target port, the service port by default. */
  public IntOrString targetPortOrDefault() {
    return targetPort == null ? new IntOrString(port) : targetPort;
  }

  /** The Istio gateways, {@code mesh} by default. */
  public List<String> gatewaysOrDefault() {
    return gateways == null || gateways.isEmpty() ? List.of("mesh") : gateways;
  }
}
