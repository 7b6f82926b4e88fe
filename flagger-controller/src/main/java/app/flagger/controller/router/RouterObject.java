package app.flagger.controller.router;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.function.UnaryOperator;

/**
 * The custom objects of one kind a router owns per Canary, in the Canary's namespace ({@code
 * <apex>}: an HTTPRoute, a TrafficSplit; or named ones: App Mesh's {@code <apex>-primary} virtual
 * node), read and written as {@link GenericKubernetesResource}s. Errors are {@link
 * RouterException}s that start with {@code <Kind> <name>.<namespace>}; updates are get → change →
 * update, retried up to three times on a 409. The methods without a name address {@code <apex>}.
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
    return get(canary, apex(canary));
  }

  /** The object {@code name}, or null when it does not exist. */
  public GenericKubernetesResource get(Canary canary, String name) {
    try {
      return resource(canary, name).get();
    } catch (KubernetesClientException e) {
      throw new RouterException(prefix(canary, name) + getError + e.getMessage(), e);
    }
  }

  /** The object; a {@link #notFound} error when it does not exist. */
  public GenericKubernetesResource require(Canary canary) {
    return require(canary, apex(canary));
  }

  /** The object {@code name}; a {@link #notFound} error when it does not exist. */
  public GenericKubernetesResource require(Canary canary, String name) {
    GenericKubernetesResource current = get(canary, name);
    if (current == null) {
      throw notFound(canary, name);
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
      throw new RouterException(
          prefix(canary, object.getMetadata().getName()) + "create error: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the object, applies {@code change} and updates it, again on a conflict; a failure says
   * {@code what}, the API's message and {@code suffix}.
   */
  public void update(
      Canary canary, String what, String suffix, UnaryOperator<GenericKubernetesResource> change) {
    update(canary, apex(canary), what, suffix, change);
  }

  /** {@link #update(Canary, String, String, UnaryOperator)} of the object {@code name}. */
  public void update(
      Canary canary,
      String name,
      String what,
      String suffix,
      UnaryOperator<GenericKubernetesResource> change) {
    for (int attempt = 1; ; attempt++) {
      GenericKubernetesResource current = require(canary, name);
      try {
        client
            .genericKubernetesResources(context)
            .inNamespace(canary.getMetadata().getNamespace())
            .resource(change.apply(current))
            .update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
          throw new RouterException(prefix(canary, name) + what + e.getMessage() + suffix, e);
        }
      }
    }
  }

  /** The API server's not-found message: {@code <plural>.<group> "<apex>" not found}. */
  public RouterException notFound(Canary canary) {
    return notFound(canary, apex(canary));
  }

  /** The API server's not-found message for the object {@code name}. */
  public RouterException notFound(Canary canary, String name) {
    return new RouterException(
        prefix(canary, name)
            + getError
            + context.getPlural()
            + "."
            + context.getGroup()
            + " \""
            + name
            + "\" not found");
  }

  private String prefix(Canary canary, String name) {
    return context.getKind() + " " + key(canary, name) + " ";
  }

  /** {@code <apex>.<namespace>}, as the messages name the object. */
  public static String key(Canary canary) {
    return key(canary, apex(canary));
  }

  /**
   * {@code <name>.<namespace>}, as the messages name the object {@code name}; a name that already
   * carries its namespace (App Mesh v1beta1's {@code <apex>.<namespace>} virtual service) as is.
   */
  public static String key(Canary canary, String name) {
    String qualified = "." + canary.getMetadata().getNamespace();
    return name.endsWith(qualified) ? name : name + qualified;
  }

  private static String apex(Canary canary) {
    return canary.getSpec().apexName();
  }

  private Resource<GenericKubernetesResource> resource(Canary canary, String name) {
    return client
        .genericKubernetesResources(context)
        .inNamespace(canary.getMetadata().getNamespace())
        .withName(name);
  }
}
