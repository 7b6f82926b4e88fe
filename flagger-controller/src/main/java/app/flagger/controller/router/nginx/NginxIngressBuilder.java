package app.flagger.controller.router.nginx;

import app.flagger.controller.kube.Owners;
import app.flagger.controller.router.ApexServiceBuilder;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import app.flagger.model.common.LocalObjectReference;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.istio.StringMatch;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpecBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canary Ingress {@code <ingress>-canary} Flagger's {@code IngressRouter} derives from the
 * Canary's {@code spec.ingressRef} (spec §5.2, nginx row), and the annotations SetRoutes writes on
 * it, under a configurable prefix ({@code ingress-annotations-prefix}, ingress-nginx's {@code
 * nginx.ingress.kubernetes.io} by default). Pure: no client, no clock.
 */
public final class NginxIngressBuilder {
  /** The last-applied annotation of {@code kubectl apply}, never copied to the canary Ingress. */
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final String prefix;

  /**
   * @param prefix the annotation prefix without the trailing slash ({@code
   *     nginx.ingress.kubernetes.io})
   */
  public NginxIngressBuilder(String prefix) {
    this.prefix = prefix;
  }

  /** {@code <prefix>/<suffix>}, as Flagger's {@code GetAnnotationWithPrefix}. */
  public String annotation(String suffix) {
    return prefix + "/" + suffix;
  }

  /**
   * The Ingress the Canary points at; fails naming {@code spec.ingressRef} when it has none
   * (Flagger's {@code ingress selector is empty}).
   */
  public static String ingressName(Canary canary) {
    LocalObjectReference ref = canary.getSpec().ingressRef();
    if (ref == null || ref.name() == null || ref.name().isBlank()) {
      throw new RouterException(
          "spec.ingressRef of "
              + canary.key()
              + " is required with the nginx provider: expected the name of the Ingress that"
              + " routes to the apex service "
              + canary.getSpec().apexName());
    }
    return ref.name();
  }

  /** {@code <ingressRef.name>-canary}. */
  public static String canaryIngressName(Canary canary) {
    return ingressName(canary) + "-canary";
  }

  /**
   * A copy of {@code source}'s spec whose backends on the apex service now name {@code
   * <apex>-canary}, in every rule and path (the default backend is left alone, as in Flagger).
   * Fails with Flagger's message when no path routes to the apex service.
   */
  public static IngressSpec canarySpec(Canary canary, Ingress source) {
    String apex = canary.getSpec().apexName();
    IngressSpec spec =
        new IngressSpecBuilder(source.getSpec() == null ? new IngressSpec() : source.getSpec())
            .build();
    boolean found = false;
    for (IngressRule rule : orEmpty(spec.getRules())) {
      if (rule.getHttp() == null) {
        continue;
      }
      for (HTTPIngressPath path : orEmpty(rule.getHttp().getPaths())) {
        IngressServiceBackend service =
            path.getBackend() == null ? null : path.getBackend().getService();
        if (service != null && apex.equals(service.getName())) {
          service.setName(apex + "-canary");
          found = true;
        }
      }
    }
    if (!found) {
      throw new RouterException(
          "backend " + apex + " not found in ingress " + source.getMetadata().getName());
    }
    return spec;
  }

  /**
   * The canary Ingress Reconcile creates: {@code source}'s labels, its annotations without any
   * canary annotation of the prefix nor kubectl's last-applied one, plus the canary switched on at
   * weight 0 and Flux's opt-out; {@link #canarySpec}; owned by the Canary.
   */
  public Ingress build(Canary canary, Ingress source) {
    return new IngressBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(canaryIngressName(canary))
                .withNamespace(canary.getMetadata().getNamespace())
                .withLabels(copy(source.getMetadata().getLabels()))
                .withAnnotations(reset(source.getMetadata().getAnnotations()))
                .withOwnerReferences(Owners.of(canary))
                .build())
        .withSpec(canarySpec(canary, source))
        .build();
  }

  /**
   * Flagger's {@code makeAnnotations}: Flux's opt-out added, every key containing {@code
   * <prefix>/canary} (so every canary annotation) and kubectl's last-applied configuration dropped,
   * then {@code <prefix>/canary: "true"} and {@code <prefix>/canary-weight: "0"}.
   */
  public Map<String, String> reset(Map<String, String> annotations) {
    Map<String, String> out = new LinkedHashMap<>();
    withFluxOptOut(annotations)
        .forEach(
            (k, v) -> {
              if (!k.contains(annotation("canary")) && !k.contains(LAST_APPLIED)) {
                out.put(k, v);
              }
            });
    out.put(annotation("canary"), "true");
    out.put(annotation("canary-weight"), "0");
    return out;
  }

  /**
   * The annotations SetRoutes leaves on the canary Ingress whose annotations are {@code current}
   * (Flagger's {@code SetRoutes}). Without {@code analysis.match}: {@code canary-weight} set to the
   * canary's weight. With it (A/B testing): the header and cookie annotations of {@link
   * #abAnnotations}, the weight annotation untouched. Then, at a canary weight above 0, {@code
   * canary: "true"}; at 0, {@link #reset}, which removes the A/B annotations and the weight.
   * Mirroring is not possible with ingress-nginx canaries: {@code routes.mirrored()} is ignored, as
   * in Flagger.
   */
  public Map<String, String> routed(Canary canary, Map<String, String> current, Routes routes) {
    List<HttpMatchRequest> match = canary.getSpec().analysisOrEmpty().matchOrEmpty();
    Map<String, String> out;
    if (!match.isEmpty()) {
      out = abAnnotations(canary, withFluxOptOut(current), match);
    } else {
      out = new LinkedHashMap<>(copy(current));
      out.put(annotation("canary-weight"), Integer.toString(routes.canaryWeight()));
    }
    if (routes.canaryWeight() > 0) {
      out.put(annotation("canary"), "true");
      return out;
    }
    return reset(out);
  }

  /**
   * Flagger's {@code makeHeaderAnnotations}: the {@code cookie} header's {@code exact} value gives
   * {@code canary-by-cookie} (the cookie's name: ingress-nginx routes to the canary when its value
   * is {@code always}); any other header gives {@code canary-by-header} (its name), {@code
   * canary-by-header-value} (its {@code exact}) and {@code canary-by-header-pattern} (its {@code
   * regex}); the last one in the order written wins, as ingress-nginx takes one header. Deviation:
   * A/B annotations of an earlier match are removed first (Flagger filters on the values there,
   * keeping stale keys, so a header pattern would stay behind a former header value), and header
   * matches by prefix or suffix, which ingress-nginx cannot express, are refused.
   */
  Map<String, String> abAnnotations(
      Canary canary, Map<String, String> current, List<HttpMatchRequest> match) {
    String cookie = "";
    String header = "";
    String headerValue = "";
    String headerRegex = "";
    for (HttpMatchRequest m : match) {
      if (m.headers() == null) {
        continue;
      }
      for (Map.Entry<String, StringMatch> e : m.headers().entrySet()) {
        StringMatch value = e.getValue() == null ? StringMatch.exact(null) : e.getValue();
        refusePrefixOrSuffix(canary, e.getKey(), value);
        if (e.getKey().equals("cookie")) {
          cookie = orEmpty(value.exact());
        } else {
          header = e.getKey();
          headerRegex = orEmpty(value.regex());
          headerValue = orEmpty(value.exact());
        }
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    current.forEach(
        (k, v) -> {
          if (!AB_SUFFIXES.stream().map(this::annotation).toList().contains(k)) {
            out.put(k, v);
          }
        });
    out.put(annotation("canary"), "true");
    putIfSet(out, "canary-by-cookie", cookie);
    putIfSet(out, "canary-by-header", header);
    putIfSet(out, "canary-by-header-value", headerValue);
    putIfSet(out, "canary-by-header-pattern", headerRegex);
    return out;
  }

  private static final List<String> AB_SUFFIXES =
      List.of(
          "canary-by-cookie",
          "canary-by-header",
          "canary-by-header-value",
          "canary-by-header-pattern");

  private static void refusePrefixOrSuffix(Canary canary, String header, StringMatch value) {
    if (value.prefix() != null || value.suffix() != null) {
      throw new RouterException(
          "analysis.match of "
              + canary.key()
              + ": header "
              + header
              + " matches by "
              + (value.prefix() != null ? "prefix" : "suffix")
              + ", which the nginx provider cannot express: expected exact (or regex for a"
              + " header other than cookie)");
    }
  }

  private void putIfSet(Map<String, String> out, String suffix, String value) {
    if (!value.isEmpty()) {
      out.put(annotation(suffix), value);
    }
  }

  /**
   * The weights of the canary Ingress annotated {@code annotations} (Flagger's {@code GetRoutes}):
   * with {@code analysis.match} and a {@code canary-by-cookie} or {@code canary-by-header}
   * annotation, primary 0 and canary 100 (the matched requests all go to the canary); else the
   * {@code canary-weight} (0 when absent) and the primary the rest. Never mirrored. A weight that
   * is not a number, or not between 0 and 100, is an error naming the Ingress.
   */
  public Routes routes(Canary canary, Map<String, String> annotations, String where) {
    Map<String, String> a = copy(annotations);
    if (!canary.getSpec().analysisOrEmpty().matchOrEmpty().isEmpty()
        && (a.containsKey(annotation("canary-by-cookie"))
            || a.containsKey(annotation("canary-by-header")))) {
      return new Routes(0, 100, false);
    }
    String value = a.get(annotation("canary-weight"));
    if (value == null) {
      return Routes.allPrimary();
    }
    int weight;
    try {
      weight = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new RouterException(
          "ingress " + where + " failed to convert " + value + " to int: " + e.getMessage(), e);
    }
    if (weight < 0 || weight > 100) {
      throw new RouterException(
          "ingress "
              + where
              + " annotation "
              + annotation("canary-weight")
              + " must be between 0 and 100, got "
              + weight);
    }
    return new Routes(100 - weight, weight, false);
  }

  /** Flagger's {@code filterMetadata}: a copy with Flux's reconcile/drift opt-out annotations. */
  static Map<String, String> withFluxOptOut(Map<String, String> annotations) {
    Map<String, String> out = new LinkedHashMap<>(copy(annotations));
    out.putAll(ApexServiceBuilder.TOOLKIT_ANNOTATIONS);
    return out;
  }

  private static Map<String, String> copy(Map<String, String> m) {
    return m == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m);
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
