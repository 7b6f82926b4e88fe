package app.flagger.controller.router.appmesh;

import app.flagger.controller.router.RouterException;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.common.GoDuration;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.istio.HttpRetry;
import app.flagger.model.istio.StringMatch;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the App Mesh objects take from a Canary (Flagger's {@code AppMeshRouter} and {@code
 * AppMeshv1beta2Router} helpers): names, ports, protocol, route prefix, timeout, retry policy,
 * header matches, access log and the App Mesh gateway annotations. Pure.
 */
final class CanaryMesh {
  private CanaryMesh() {}

  /** The Canary annotation that turns on the virtual nodes' access log. */
  static final String ACCESS_LOG_ANNOTATION = "appmesh.flagger.app/accesslog";

  static final String ENABLED = "enabled";
  static final String GATEWAY_PREFIX = "gateway.appmesh.k8s.aws/";

  /** Flagger's default per-retry timeout when {@code perTryTimeout} is not a duration. */
  static final long DEFAULT_PER_RETRY_MILLIS = 250;

  static String apex(Canary canary) {
    return canary.getSpec().apexName();
  }

  static String primary(Canary canary) {
    return apex(canary) + "-primary";
  }

  static String canaryName(Canary canary) {
    return apex(canary) + "-canary";
  }

  static String ns(Canary canary) {
    return canary.getMetadata().getNamespace();
  }

  static CanaryService service(Canary canary) {
    CanaryService s = canary.getSpec().service();
    if (s == null || s.port() == null) {
      throw new RouterException(
          "spec.service.port of " + canary.key() + " is required for the App Mesh provider");
    }
    return s;
  }

  /** {@code grpc} when the port name contains {@code grpc}, else {@code http}. */
  static String protocol(Canary canary) {
    String portName = service(canary).portName();
    return portName != null && portName.contains("grpc") ? "grpc" : "http";
  }

  /** {@code service.port}: the port of v1beta1 listeners. */
  static int servicePort(Canary canary) {
    return service(canary).port();
  }

  /** {@code service.targetPort} when it is a positive number, else {@code service.port}. */
  static int containerPort(Canary canary) {
    IntOrString target = service(canary).targetPort();
    if (target != null && target.getIntVal() != null && target.getIntVal() > 0) {
      return target.getIntVal();
    }
    return servicePort(canary);
  }

  /** {@code service.match[0].uri.prefix} when set (App Mesh matches URI prefixes only), else /. */
  static String routePrefix(Canary canary) {
    List<HttpMatchRequest> match = service(canary).match();
    if (match != null && !match.isEmpty() && match.get(0) != null) {
      StringMatch uri = match.get(0).uri();
      if (uri != null && uri.prefix() != null && !uri.prefix().isEmpty()) {
        return uri.prefix();
      }
    }
    return "/";
  }

  /** {@code service.timeout} in milliseconds; empty when unset or not a duration. */
  static Optional<Long> timeoutMillis(Canary canary) {
    return GoDuration.parse(service(canary).timeout()).map(Duration::toMillis);
  }

  /** Whether the Canary asks for the access log ({@code appmesh.flagger.app/accesslog}). */
  static boolean accessLog(Canary canary) {
    Map<String, String> a = canary.getMetadata().getAnnotations();
    return a != null && ENABLED.equals(a.get(ACCESS_LOG_ANNOTATION));
  }

  /** {@code logging.accessLog.file.path: /dev/stdout}. */
  static Map<String, Object> logging() {
    return Maps.of("accessLog", Maps.of("file", Maps.of("path", "/dev/stdout")));
  }

  static List<String> backends(Canary canary) {
    List<String> b = service(canary).backends();
    return b == null ? List.of() : b;
  }

  static List<HttpMatchRequest> abMatches(Canary canary) {
    return canary.getSpec().analysisOrEmpty().matchOrEmpty();
  }

  /**
   * The retry policy of {@code service.retries}, null without: {@code attempts} (1 when not
   * positive), {@code perTryTimeout} (250ms when not a duration) and the comma-separated {@code
   * retryOn} events ({@code gateway-error} when empty).
   */
  static Map<String, Object> retryPolicy(Canary canary, AppMeshApi api) {
    HttpRetry retries = service(canary).retries();
    if (retries == null) {
      return null;
    }
    long perTry =
        GoDuration.parse(retries.perTryTimeout())
            .map(Duration::toMillis)
            .orElse(DEFAULT_PER_RETRY_MILLIS);
    int attempts = retries.attempts() != null && retries.attempts() > 0 ? retries.attempts() : 1;
    List<String> events = new ArrayList<>();
    if (retries.retryOn() == null || retries.retryOn().isEmpty()) {
      events.add("gateway-error");
    } else {
      for (String e : retries.retryOn().split(",", -1)) {
        events.add(e.strip());
      }
    }
    Map<String, Object> policy = new LinkedHashMap<>();
    if (api == AppMeshApi.V1BETA1) {
      policy.put("perRetryTimeoutMillis", number(perTry));
    } else {
      policy.put("perRetryTimeout", millis(perTry));
    }
    policy.put("maxRetries", attempts);
    policy.put("httpRetryEvents", events);
    return policy;
  }

  /** An App Mesh v1beta2 duration in milliseconds. */
  static Map<String, Object> millis(long value) {
    return Maps.of("unit", "ms", "value", number(value));
  }

  /**
   * {@code value} as the JSON reader gives it back (an Integer when it fits), so that what
   * Reconcile wants compares equal to what it wrote.
   */
  static Number number(long value) {
    if (value == (int) value) {
      return Integer.valueOf((int) value); // not a ?: which would widen it back to a Long
    }
    return Long.valueOf(value);
  }

  /**
   * The header matches of {@code analysis.match}: one per header of every match request, each with
   * the set ones of {@code exact}, {@code prefix}, {@code regex}, {@code suffix}.
   */
  static List<Object> headers(Canary canary) {
    List<Object> headers = new ArrayList<>();
    for (HttpMatchRequest m : abMatches(canary)) {
      if (m == null || m.headers() == null) {
        continue;
      }
      for (Map.Entry<String, StringMatch> h : m.headers().entrySet()) {
        StringMatch v =
            h.getValue() == null ? new StringMatch(null, null, null, null) : h.getValue();
        Map<String, Object> match = new LinkedHashMap<>();
        putIfSet(match, "exact", v.exact());
        putIfSet(match, "prefix", v.prefix());
        putIfSet(match, "regex", v.regex());
        putIfSet(match, "suffix", v.suffix());
        headers.add(Maps.of("name", h.getKey(), "match", match));
      }
    }
    return headers;
  }

  /**
   * The App Mesh gateway annotations of the apex virtual service, empty without {@code
   * service.hosts}: {@code expose}, {@code domain} (each host followed by a comma), {@code timeout}
   * and {@code retries} when set.
   */
  static Map<String, String> gatewayAnnotations(Canary canary) {
    Map<String, String> a = new LinkedHashMap<>();
    List<String> hosts = service(canary).hosts();
    StringBuilder domains = new StringBuilder();
    for (String h : hosts == null ? List.<String>of() : hosts) {
      domains.append(h).append(',');
    }
    if (domains.isEmpty()) {
      return a;
    }
    a.put(GATEWAY_PREFIX + "expose", "true");
    a.put(GATEWAY_PREFIX + "domain", domains.toString());
    String timeout = service(canary).timeout();
    if (timeout != null && !timeout.isEmpty()) {
      a.put(GATEWAY_PREFIX + "timeout", timeout);
    }
    HttpRetry retries = service(canary).retries();
    if (retries != null && retries.attempts() != null && retries.attempts() > 0) {
      a.put(GATEWAY_PREFIX + "retries", String.valueOf(retries.attempts()));
    }
    return a;
  }

  private static void putIfSet(Map<String, Object> m, String key, String value) {
    if (value != null && !value.isEmpty()) {
      m.put(key, value);
    }
  }
}
