package app.flagger.controller.router.skipper;

import app.flagger.controller.kube.Owners;
import app.flagger.controller.router.ApexServiceBuilder;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.json.Jsons;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The canary Ingress {@code <ingress>-canary} Flagger generates for a Skipper Canary (Flagger's
 * {@code SkipperRouter}, spec §5.2): a copy of the {@code spec.ingressRef} Ingress whose paths to
 * {@code <apex>} go to {@code <apex>-primary}, each followed (at the end of its rule) by the same
 * path to {@code <apex>-canary}. The split is the annotation {@code zalando.org/backend-weights}
 * and the predicate annotation {@code zalando.org/skipper-predicate} starts with {@code
 * Weight(100)} (the copy wins over the apex Ingress' routes), or with {@code False()} while the
 * canary gets nothing (the copy's routes are off). Pure: no client, no clock.
 */
public final class SkipperIngressBuilder {
  private SkipperIngressBuilder() {}

  /** Skipper's per-backend traffic weights: {@code {"<apex>-canary":c,"<apex>-primary":p}}. */
  public static final String BACKEND_WEIGHTS = "zalando.org/backend-weights";

  /** Skipper's extra route predicates, joined by {@code &&}. */
  public static final String PREDICATE = "zalando.org/skipper-predicate";

  /** Puts the copy's routes above the apex Ingress' routes for the same host and path. */
  static final String ROUTE_WEIGHT = "Weight(100)";

  /** Switches the copy's routes off. */
  static final String ROUTE_DISABLE = "False()";

  /** The name of the canary Ingress: {@code <ingressRef.name>-canary}. */
  public static String canaryIngressName(Canary canary) {
    return ingressName(canary) + "-canary";
  }

  /**
   * {@code spec.ingressRef.name}; an error naming the field when it is missing (Flagger's {@code
   * ingress selector is empty}).
   */
  public static String ingressName(Canary canary) {
    var ref = canary.getSpec().ingressRef();
    if (ref == null || ref.name() == null || ref.name().isEmpty()) {
      throw new RouterException(
          "spec.ingressRef.name: required by the skipper provider, the Ingress to copy"
              + " (ingress selector is empty)");
    }
    return ref.name();
  }

  /**
   * Refuses {@code analysis.match}: Skipper's weights split all requests, so an A/B test would send
   * every request to the canary (Flagger ignores the match).
   */
  public static void refuseMatch(Canary canary) {
    CanaryAnalysis analysis = canary.getSpec().analysisOrLegacy();
    if (analysis != null && analysis.match() != null && !analysis.match().isEmpty()) {
      throw new RouterException(
          "spec.analysis.match: the skipper provider cannot route by request headers or cookies"
              + " (A/B testing), remove match to shift traffic by weight");
    }
  }

  /**
   * The canary Ingress Reconcile creates from {@code apex}: name {@code <ingress>-canary}, the
   * apex's labels and annotations plus Flux's opt-out, owned by the Canary, everything to the
   * primary; an error when no path of {@code apex} goes to {@code <apex>}.
   */
  public static Ingress build(Canary canary, Ingress apex) {
    ObjectMeta from = apex.getMetadata();
    Map<String, String> annotations = new LinkedHashMap<>(orEmpty(from.getAnnotations()));
    annotations.putAll(ApexServiceBuilder.TOOLKIT_ANNOTATIONS);
    annotations.put(BACKEND_WEIGHTS, weights(canary, Routes.allPrimary()));
    annotations.put(PREDICATE, insertPredicate(annotations.get(PREDICATE), ROUTE_WEIGHT));
    return new IngressBuilder()
        .withApiVersion("networking.k8s.io/v1")
        .withKind("Ingress")
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(canaryIngressName(canary))
                .withNamespace(canary.getMetadata().getNamespace())
                .withLabels(new LinkedHashMap<>(orEmpty(from.getLabels())))
                .withAnnotations(annotations)
                .withOwnerReferences(Owners.of(canary))
                .build())
        .withSpec(spec(canary, apex))
        .build();
  }

  /**
   * The apex's spec with every path to {@code <apex>} sent to {@code <apex>-primary} and a copy of
   * it to {@code <apex>-canary} appended to its rule (Flagger's order); an error naming both when
   * no path goes to {@code <apex>} (the check Flagger means to make).
   */
  static IngressSpec spec(Canary canary, Ingress apex) {
    String service = canary.getSpec().apexName();
    IngressSpec spec = new IngressBuilder(apex).build().getSpec();
    if (spec == null) {
      spec = new IngressSpec();
    }
    boolean found = false;
    for (IngressRule rule : orEmpty(spec.getRules())) {
      if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
        continue;
      }
      List<HTTPIngressPath> paths = new ArrayList<>(rule.getHttp().getPaths());
      List<HTTPIngressPath> canaries = new ArrayList<>();
      for (int i = 0; i < paths.size(); i++) {
        HTTPIngressPath path = paths.get(i);
        var backend = path.getBackend();
        if (backend != null
            && backend.getService() != null
            && service.equals(backend.getService().getName())) {
          found = true;
          paths.set(i, renamed(path, service + "-primary"));
          canaries.add(renamed(path, service + "-canary"));
        }
      }
      paths.addAll(canaries);
      rule.getHttp().setPaths(paths);
    }
    if (!found) {
      throw new RouterException(
          "backend "
              + service
              + " not found in ingress "
              + apex.getMetadata().getName()
              + ": spec.ingressRef must name an Ingress with a path to the Service "
              + service);
    }
    return spec;
  }

  private static HTTPIngressPath renamed(HTTPIngressPath path, String service) {
    return new HTTPIngressPathBuilder(path)
        .editBackend()
        .editService()
        .withName(service)
        .endService()
        .endBackend()
        .build();
  }

  /**
   * Whether Reconcile must update {@code current} to {@code desired}: the spec, a label or an
   * annotation copied from the apex, or the apex's own predicates changed. The weights and the
   * {@code Weight(100)} / {@code False()} switch are SetRoutes' business and not compared, as
   * Flagger compares the spec only.
   */
  public static boolean differs(Ingress current, Ingress desired) {
    if (!Objects.equals(current.getSpec(), desired.getSpec())) {
      return true;
    }
    ObjectMeta have = current.getMetadata();
    ObjectMeta want = desired.getMetadata();
    if (!orEmpty(have.getLabels()).entrySet().containsAll(orEmpty(want.getLabels()).entrySet())) {
      return true;
    }
    Map<String, String> haveAnnotations = orEmpty(have.getAnnotations());
    for (var e : orEmpty(want.getAnnotations()).entrySet()) {
      String key = e.getKey();
      if (key.equals(BACKEND_WEIGHTS)) {
        continue;
      }
      if (key.equals(PREDICATE)) {
        if (!userPredicates(haveAnnotations.get(key)).equals(userPredicates(e.getValue()))) {
          return true;
        }
      } else if (!e.getValue().equals(haveAnnotations.get(key))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code current} brought up to {@code desired}: the spec replaced, labels and annotations merged
   * (entries others added kept), the current weights and route switch kept.
   */
  public static Ingress merged(Ingress current, Ingress desired) {
    Ingress out = new IngressBuilder(current).build();
    out.setSpec(desired.getSpec());
    ObjectMeta meta = out.getMetadata();
    Map<String, String> labels = new LinkedHashMap<>(orEmpty(meta.getLabels()));
    labels.putAll(orEmpty(desired.getMetadata().getLabels()));
    meta.setLabels(labels);
    Map<String, String> have = orEmpty(current.getMetadata().getAnnotations());
    Map<String, String> annotations = new LinkedHashMap<>(have);
    annotations.putAll(orEmpty(desired.getMetadata().getAnnotations()));
    if (have.containsKey(BACKEND_WEIGHTS)) {
      annotations.put(BACKEND_WEIGHTS, have.get(BACKEND_WEIGHTS));
    }
    String first = disabled(have.get(PREDICATE)) ? ROUTE_DISABLE : ROUTE_WEIGHT;
    annotations.put(PREDICATE, insertPredicate(annotations.get(PREDICATE), first));
    meta.setAnnotations(annotations);
    return out;
  }

  /**
   * {@code current} with the weights of {@code routes}: the weights annotation, {@code Weight(100)}
   * first in the predicate, replaced by {@code False()} when the canary gets nothing (Flagger's
   * SetRoutes).
   */
  public static Ingress withRoutes(Ingress current, Canary canary, Routes routes) {
    Ingress out = new IngressBuilder(current).build();
    Map<String, String> annotations =
        new LinkedHashMap<>(orEmpty(out.getMetadata().getAnnotations()));
    annotations.put(BACKEND_WEIGHTS, weights(canary, routes));
    String predicate = insertPredicate(annotations.get(PREDICATE), ROUTE_WEIGHT);
    if (routes.canaryWeight() == 0) {
      predicate = insertPredicate(predicate, ROUTE_DISABLE);
    }
    annotations.put(PREDICATE, predicate);
    out.getMetadata().setAnnotations(annotations);
    return out;
  }

  /**
   * The weights annotation, keys sorted as Go's {@code json.Marshal} writes a map: {@code
   * {"<apex>-canary":c,"<apex>-primary":p}}.
   */
  public static String weights(Canary canary, Routes routes) {
    String apex = canary.getSpec().apexName();
    return Jsons.createObjectBuilder()
        .add(apex + "-canary", routes.canaryWeight())
        .add(apex + "-primary", routes.primaryWeight())
        .build()
        .toString();
  }

  /**
   * The split of {@code ingress}'s weights annotation (Flagger's GetRoutes); {@code key} names the
   * Ingress in errors. Never mirrored.
   */
  public static Routes routes(Ingress ingress, Canary canary, String key) {
    String raw = orEmpty(ingress.getMetadata().getAnnotations()).get(BACKEND_WEIGHTS);
    if (raw == null) {
      throw new RouterException(
          "ingress "
              + key
              + " get backendWeights error: annotation "
              + BACKEND_WEIGHTS
              + " not found");
    }
    JsonObject weights;
    try {
      weights = Jsons.createReader(new StringReader(raw)).readObject();
    } catch (JsonException | ClassCastException e) {
      throw new RouterException(
          "ingress "
              + key
              + " get backendWeights error: annotation "
              + BACKEND_WEIGHTS
              + " is not a JSON object of weights: "
              + raw,
          e);
    }
    String apex = canary.getSpec().apexName();
    int primary = weight(weights, apex + "-primary", key);
    int canaryWeight = weight(weights, apex + "-canary", key);
    if (primary < 0 || canaryWeight < 0 || primary + canaryWeight != 100) {
      throw new RouterException(
          "ingress "
              + key
              + " annotation "
              + BACKEND_WEIGHTS
              + ": the weights of "
              + apex
              + "-primary and "
              + apex
              + "-canary must add up to 100, got "
              + raw);
    }
    return new Routes(primary, canaryWeight, false);
  }

  private static int weight(JsonObject weights, String service, String key) {
    JsonValue v = weights.get(service);
    if (v == null) {
      throw new RouterException("ingress " + key + " could not get weights[" + service + "]");
    }
    if (!(v instanceof JsonNumber n) || !n.isIntegral()) {
      throw new RouterException(
          "ingress "
              + key
              + " annotation "
              + BACKEND_WEIGHTS
              + ": the weight of "
              + service
              + " must be an integer, got "
              + v);
    }
    return n.intValueExact();
  }

  /**
   * {@code insert} first, then the predicates of {@code raw} (split at {@code &&}, trimmed) without
   * empty ones, {@code Weight(100)} and {@code False()}, joined by {@code " && "} (Flagger's {@code
   * insertPredicate}).
   */
  static String insertPredicate(String raw, String insert) {
    List<String> predicates = new ArrayList<>();
    predicates.add(insert);
    predicates.addAll(userPredicates(raw));
    return String.join(" && ", predicates);
  }

  /** The predicates of {@code raw} other than Flagger's two. */
  static List<String> userPredicates(String raw) {
    List<String> out = new ArrayList<>();
    if (raw == null) {
      return out;
    }
    for (String part : raw.split("&&", -1)) {
      String p = part.strip();
      if (!p.isEmpty() && !p.equals(ROUTE_WEIGHT) && !p.equals(ROUTE_DISABLE)) {
        out.add(p);
      }
    }
    return out;
  }

  private static boolean disabled(String predicate) {
    return predicate != null && predicate.strip().startsWith(ROUTE_DISABLE);
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
    return m == null ? Map.of() : m;
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }
}
