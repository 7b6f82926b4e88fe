package app.flagger.controller.router;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.function.UnaryOperator;

/**
 * The one custom object a router owns per Canary ({@code <apex>} in the Canary's namespace: an
 * HTTPRoute, a TrafficSplit), read and written as a {@link GenericKubernetesResource}. Errors are
 * {@link RouterException}s that start with {@code <Kind> <apex>.<namespace>}; updates are get →
 * change → update, retried up to three times on a 409.
 */
public final class RouterObject {
  private static final int CONFLICT_RETRIES = 3;

  private final KubernetesClient client;
  private final ResourceDefinitionContext context;
  private final String getError;

  /**
   * @param client the Kubernetes client
   * @param context the object's group, version, kind and plural
   * @param getError what a failed read says after the key ({@code "get error: "})
   */
  public RouterObject(KubernetesClient client, ResourceDefinitionContext context, String getError) {
    this.client = client;
    this.context = context;
    this.getError = getError;
  }

  /** The object, or null when it does not exist. */
  public GenericKubernetesResource get(Canary canary) {
    try {
      return resource(canary).get();
    } catch (KubernetesClientException e) {
      throw new RouterException(prefix(canary) + getError + e.getMessage(), e);
    }
  }

  /** The object; a {@link #notFound} error when it does not exist. */
  public GenericKubernetesResource require(Canary canary) {
    GenericKubernetesResource current = get(canary);
    if (current == null) {
      throw notFound(canary);
    }
    return current;
  }

  /** Creates {@code object}; a failure says {@code create error: }. */
  public void create(Canary canary, GenericKubernetesResource object) {
    try {
      client
          .genericKubernetesResources(context)
          .inNamespace(canary.getMetadata().getNamespace())
          .resource(object)
          .create();
    } catch (KubernetesClientException e) {
      throw new RouterException(prefix(canary) + "create error: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the object, applies {@code change} and updates it, again on a conflict; a failure says
   * {@code what}, the API's message and {@code suffix}.
   */
  public void update(
      Canary canary, String what, String suffix, UnaryOperator<GenericKubernetesResource> change) {
    for (int attempt = 1; ; attempt++) {
      GenericKubernetesResource current = require(canary);
      try {
        client
            .genericKubernetesResources(context)
            .inNamespace(canary.getMetadata().getNamespace())
            .resource(change.apply(current))
            .update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
          throw new RouterException(prefix(canary) + what + e.getMessage() + suffix, e);
        }
      }
    }
  }

  /** The API server's not-found message: {@code <plural>.<group> "<apex>" not found}. */
  public RouterException notFound(Canary canary) {
    return new RouterException(
        prefix(canary)
            + getError
            + context.getPlural()
            + "."
            + context.getGroup()
            + " \""
            + canary.getSpec().apexName()
            + "\" not found");
  }

  private String prefix(Canary canary) {
    return context.getKind() + " " + key(canary) + " ";
  }

  /** {@code <apex>.<namespace>}, as the messages name the object. */
  public static String key(Canary canary) {
    return canary.getSpec().apexName() + "." + canary.getMetadata().getNamespace();
  }

  private Resource<GenericKubernetesResource> resource(Canary canary) {
    return client
        .genericKubernetesResources(context)
        .inNamespace(canary.getMetadata().getNamespace())
        .withName(canary.getSpec().apexName());
  }
}
