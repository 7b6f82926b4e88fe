package app.flagger.controller.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** Short texts for API errors, as client-go prints them (the status message, not the request). */
public final class KubeErrors {
  private KubeErrors() {}

  public static String message(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return e.getCode() > 0 ? "HTTP " + e.getCode() : String.valueOf(e.getMessage());
  }
}
