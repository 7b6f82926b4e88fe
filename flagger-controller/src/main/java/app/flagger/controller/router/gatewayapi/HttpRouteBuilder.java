package app.flagger.controller.router.gatewayapi;

import static app.flagger.controller.router.gatewayapi.HttpRouteFilters.filter;
import static app.flagger.controller.router.gatewayapi.HttpRouteFilters.filters;
import static app.flagger.controller.router.gatewayapi.HttpRouteFilters.putIfSet;
import static app.flagger.controller.router.gatewayapi.HttpRouteMatches.matches;
import static app.flagger.controller.router.gatewayapi.HttpRouteMatches.merge;
import static app.flagger.controller.router.gatewayapi.HttpRouteMatches.serviceMatches;

import app.flagger.controller.kube.Owners;
import app.flagger.controller.router.ApexMetadata;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.controller.router.istio.SessionCookies;
import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.ParentReference;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTPRoute {@code <apex>} Flagger generates for a Canary (Flagger's {@code GatewayAPIRouter}
 * Reconcile and SetRoutes, spec §5.2), as plain maps in the JSON shape of {@code
 * gateway.networking.k8s.io}. Pure: no client, no clock. {@code v1} and {@code v1beta1} differ only
 * where Flagger's two routers differ: {@code v1beta1} has no timeouts and no CORS filter and copies
 * {@code service.mirror} verbatim, {@code v1} drops the mirror percentage.
 */
public final class HttpRouteBuilder {
  private HttpRouteBuilder() {}

  public static final String GROUP = "gateway.networking.k8s.io";
  static final String COOKIE_HEADER = "Cookie";
  static final String SET_COOKIE_HEADER = "Set-Cookie";
  static final String REGEX = "RegularExpression";

  /** The Gateway API version of a router: {@code v1} or {@code v1beta1}. */
  public enum Version {
    V1("v1"),
    V1BETA1("v1beta1");

    private final String value;

    Version(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }

    public String apiVersion() {
      return GROUP + "/" + value;
    }
  }

  /** The HTTPRoute Reconcile creates: metadata, owner reference and the initial spec. */
  public static GenericKubernetesResource build(Canary canary, Version version) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(version.apiVersion());
    r.setKind("HTTPRoute");
    r.setMetadata(metadata(canary));
    r.setAdditionalProperty("spec", spec(canary, version));
    return r;
  }

  /** Labels and annotations of {@code service.apex} plus Flux's opt-out, owned by the Canary. */
  static ObjectMeta metadata(Canary canary) {
    return new ObjectMetaBuilder()
        .withName(canary.getSpec().apexName())
        .withNamespace(canary.getMetadata().getNamespace())
        .withLabels(labels(canary))
        .withAnnotations(annotations(canary))
        .withOwnerReferences(Owners.of(canary))
        .build();
  }

  static Map<String, String> labels(Canary canary) {
    return ApexMetadata.labels(canary);
  }

  static Map<String, String> annotations(Canary canary) {
    return ApexMetadata.annotations(canary);
  }

  /**
   * The spec Reconcile wants: everything to the primary, the A/B rule first when the analysis has
   * matches, no mirror and no cookie rules (SetRoutes owns those).
   */
  public static Map<String, Object> spec(Canary canary, Version version) {
    CanaryService s = service(canary);
    List<Object> svcMatches = serviceMatches(canary);
    List<Object> rules = new ArrayList<>();
    rules.add(rule(canary, version, svcMatches, new ArrayList<>(filters(canary, version)), 100, 0));
    addAbRules(canary, version, rules, svcMatches);
    return spec(canary, rules, s);
  }

  /**
   * The spec SetRoutes writes for {@code routes}: the weighted rule (with a RequestMirror filter to
   * the canary when mirrored in a blue/green run), the session-affinity rules of {@code cookies}
   * and, for A/B testing, the analysis matches on the first rule and a primary-only rule after it.
   */
  public static Map<String, Object> spec(
      Canary canary, Version version, Routes routes, SessionCookies cookies) {
    CanaryService s = service(canary);
    List<Object> svcMatches = serviceMatches(canary);
    List<Object> weightedFilters = new ArrayList<>(filters(canary, version));
    CanaryAnalysis analysis = canary.getSpec().analysisOrLegacy();
    if (routes.mirrored() && analysis != null && analysis.iterationsOrZero() > 0) {
      weightedFilters.add(
          filter(
              "RequestMirror",
              "requestMirror",
              map("backendRef", backendObject(canaryName(canary), s.port()))));
    }
    int baseline = routes.baselineWeight(canary);
    Map<String, Object> weighted =
        rule(
            canary,
            version,
            svcMatches,
            weightedFilters,
            routes.primaryWeight() - baseline,
            routes.canaryWeight());
    List<Object> rules =
        HttpRouteSessionAffinity.rules(
            canary, version, routes, cookies, weighted, weightedFilters, svcMatches);
    if (baseline > 0) {
      // at weight 0 the baseline is left out: its Service exists only while a run analyses
      @SuppressWarnings("unchecked")
      List<Object> backends = (List<Object>) weighted.get("backendRefs");
      backends.add(backendRef(baselineName(canary), baseline, s.port()));
    }
    rules.add(weighted);
    addAbRules(canary, version, rules, svcMatches);
    return spec(canary, rules, s);
  }

  private static Map<String, Object> spec(Canary canary, List<Object> rules, CanaryService s) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("parentRefs", parentRefs(s.gatewayRefs()));
    if (s.hosts() != null && !s.hosts().isEmpty()) {
      spec.put("hostnames", new ArrayList<>(s.hosts()));
    }
    spec.put("rules", rules);
    return spec;
  }

  /** A/B: the first rule takes the analysis matches, a primary-only rule serves the rest. */
  @SuppressWarnings("unchecked")
  private static void addAbRules(
      Canary canary, Version version, List<Object> rules, List<Object> svcMatches) {
    CanaryAnalysis analysis = canary.getSpec().analysisOrLegacy();
    if (analysis == null || analysis.matchOrEmpty().isEmpty()) {
      return;
    }
    List<Object> ab = matches(analysis.matchOrEmpty());
    ((Map<String, Object>) rules.get(0)).put("matches", merge(ab, svcMatches));
    Map<String, Object> rest = new LinkedHashMap<>();
    rest.put("matches", copy(svcMatches));
    putFilters(rest, filters(canary, version));
    rest.put("backendRefs", List.of(backendRef(primaryName(canary), 100, service(canary).port())));
    putTimeouts(rest, canary, version);
    rules.add(rest);
  }

  static Map<String, Object> rule(
      Canary canary,
      Version version,
      List<Object> matches,
      List<Object> filters,
      int primaryWeight,
      int canaryWeight) {
    int port = service(canary).port();
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("matches", copy(matches));
    putFilters(rule, filters);
    List<Object> backends = new ArrayList<>();
    backends.add(backendRef(primaryName(canary), primaryWeight, port));
    backends.add(backendRef(canaryName(canary), canaryWeight, port));
    rule.put("backendRefs", backends);
    putTimeouts(rule, canary, version);
    return rule;
  }

  private static void putFilters(Map<String, Object> rule, List<Object> filters) {
    if (!filters.isEmpty()) {
      rule.put("filters", copy(filters));
    }
  }

  private static void putTimeouts(Map<String, Object> rule, Canary canary, Version version) {
    CanaryService s = service(canary);
    if (version != Version.V1 || (isEmpty(s.timeout()) && isEmpty(s.backendTimeout()))) {
      return;
    }
    Map<String, Object> timeouts = new LinkedHashMap<>();
    if (!isEmpty(s.timeout())) {
      timeouts.put("request", s.timeout());
    }
    if (!isEmpty(s.backendTimeout())) {
      timeouts.put("backendRequest", s.backendTimeout());
    }
    rule.put("timeouts", timeouts);
  }

  static List<Object> parentRefs(List<ParentReference> refs) {
    List<Object> out = new ArrayList<>();
    if (refs == null) {
      return out;
    }
    for (ParentReference r : refs) {
      Map<String, Object> p = new LinkedHashMap<>();
      putIfSet(p, "group", r.group());
      putIfSet(p, "kind", r.kind());
      putIfSet(p, "namespace", r.namespace());
      putIfSet(p, "name", r.name());
      putIfSet(p, "sectionName", r.sectionName());
      putIfSet(p, "port", r.port());
      out.add(p);
    }
    return out;
  }

  private static Map<String, Object> backendObject(String name, int port) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("group", "");
    ref.put("kind", "Service");
    ref.put("name", name);
    ref.put("port", port);
    return ref;
  }

  private static Map<String, Object> backendRef(String name, int weight, int port) {
    Map<String, Object> ref = backendObject(name, port);
    ref.put("weight", weight);
    return ref;
  }

  static Map<String, Object> map(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(key, value);
    return m;
  }

  /** A deep copy, so rules never share mutable maps. */
  @SuppressWarnings("unchecked")
  static <T> T copy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, copy(v)));
      return (T) out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(copy(v)));
      return (T) out;
    }
    return value;
  }

  static boolean hasSessionAffinity(Canary canary) {
    CanaryAnalysis a = canary.getSpec().analysisOrLegacy();
    return a != null && a.sessionAffinity() != null;
  }

  static CanaryService service(Canary canary) {
    CanaryService s = canary.getSpec().service();
    if (s == null || s.port() == null) {
      throw new RouterException(
          "Canary "
              + canary.key()
              + " has no spec.service.port: the Gateway API router needs the port of the"
              + " HTTPRoute's backends");
    }
    return s;
  }

  static String primaryName(Canary canary) {
    return canary.getSpec().apexName() + FlaggerGroup.PRIMARY_SUFFIX;
  }

  static String baselineName(Canary canary) {
    return canary.getSpec().apexName() + FlaggerGroup.BASELINE_SUFFIX;
  }

  static String canaryName(Canary canary) {
    return canary.getSpec().apexName() + FlaggerGroup.CANARY_SUFFIX;
  }

  static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
