package app.flagger.cli;

import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Who is asking, for the command's {@code user} and the controller's event. */
final class Users {
  private Users() {}

  /**
   * The API server's answer to a SelfSubjectReview (authentication.k8s.io/v1) when it gives one,
   * else the kubeconfig context's user name; null when neither is known.
   */
  static String of(KubeOptions.Kube kube) {
    try {
      SelfSubjectReview review =
          kube.client().resource(new SelfSubjectReviewBuilder().build()).create();
      if (review != null
          && review.getStatus() != null
          && review.getStatus().getUserInfo() != null
          && review.getStatus().getUserInfo().getUsername() != null
          && !review.getStatus().getUserInfo().getUsername().isBlank()) {
        return review.getStatus().getUserInfo().getUsername();
      }
    } catch (KubernetesClientException | IllegalArgumentException | IllegalStateException e) {
      // older API servers, or no permission: the kubeconfig's name will do
    }
    var context = kube.config().getCurrentContext();
    return context == null || context.getContext() == null ? null : context.getContext().getUser();
  }
}
