package app.flagger.controller.metrics.providers;

import app.flagger.model.http.BoundedBody;
import app.flagger.model.json.Jsons;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Kubernetes External Metrics API ({@code external.metrics.k8s.io/v1beta1}), Flagger's {@code
 * ExternalMetricsProvider}: a query {@code <namespace>/<metricName>?labelSelector=<urlencoded>}
 * lists the metric's values and the first item's value (a Kubernetes quantity) is the result. The
 * request goes through the controller's API server connection, or through {@code address} with the
 * Secret's {@code token} and {@code insecureSkipVerify} when the template sets them.
 */
public final class ExternalMetricsProvider implements MetricsProvider {
  static final String FORMAT =
      "<namespace>/<metricName>?labelSelector=<urlencoded label selectors>";
  private static final String API = "/apis/external.metrics.k8s.io/v1beta1/namespaces/";

  private final KubernetesClient client;
  private final String address;
  private final String token;
  private final boolean insecureSkipVerify;
  private final Duration timeout;
  private final long responseLimit;

  /**
   * @param client the controller's client (its API server and credentials are the defaults)
   * @param address the template's {@code address} overriding the API server, or null
   * @param token the Secret's {@code token} sent as a bearer token, or null
   * @param insecureSkipVerify trust any TLS certificate of {@code address}
   * @param timeout bound on each request
   * @param responseLimit the most bytes of an answer read ({@code flagger.http-response-limit})
   */
  public ExternalMetricsProvider(
      KubernetesClient client,
      String address,
      String token,
      boolean insecureSkipVerify,
      Duration timeout,
      long responseLimit) {
    this.client = client;
    this.address = address == null || address.isBlank() ? null : address.strip();
    this.token = token;
    this.insecureSkipVerify = insecureSkipVerify;
    this.timeout = timeout;
    this.responseLimit = responseLimit;
  }

  /** A parsed query. */
  record Query(String namespace, String metric, String labelSelector) {}

  static Query parse(String query) throws MetricsProviderException {
    String q = query == null ? "" : query.strip();
    int question = q.indexOf('?');
    String path = question < 0 ? q : q.substring(0, question);
    String selector = "";
    if (question >= 0) {
      for (String param : q.substring(question + 1).split("&")) {
        if (param.startsWith("labelSelector=")) {
          try {
            selector =
                URLDecoder.decode(
                    param.substring("labelSelector=".length()), StandardCharsets.UTF_8);
          } catch (IllegalArgumentException e) {
            throw new MetricsProviderException(
                "malformed query string, expected " + FORMAT + ", got " + query);
          }
        }
      }
    }
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    String[] parts = path.split("/", -1);
    if (parts.length > 2) {
      throw new MetricsProviderException(
          "malformed query string, too many slashes, expected " + FORMAT + ", got " + query);
    }
    String namespace = parts.length == 2 && !parts[0].isEmpty() ? parts[0] : "default";
    String metric = parts[parts.length - 1];
    if (metric.isEmpty()) {
      throw new MetricsProviderException(
          "metric name cannot be empty, expected " + FORMAT + ", got '" + query + "'");
    }
    return new Query(namespace, metric, selector);
  }

  @Override
  public double runQuery(String query) throws MetricsProviderException {
    Query q;
    try {
      q = parse(query);
    } catch (MetricsProviderException e) {
      throw new MetricsProviderException("error parsing metric query: " + e.getMessage(), e);
    }
    JsonObject list;
    try {
      list = list(q);
    } catch (MetricsProviderException e) {
      throw new MetricsProviderException(
          "error querying external metrics API: " + e.getMessage(), e);
    }
    JsonArray items = list.getJsonArray("items");
    if (items == null || items.isEmpty()) {
      throw new NoValuesFoundException().wrap("no external metrics found: ");
    }
    JsonValue value = items.getJsonObject(0).get("value");
    if (value == null || value.getValueType() != JsonValue.ValueType.STRING) {
      throw new MetricsProviderException(
          "error querying external metrics API: items[0].value is not a quantity string");
    }
    String quantity = items.getJsonObject(0).getString("value");
    try {
      return new Quantity(quantity).getNumericalAmount().doubleValue();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new MetricsProviderException(
          "error querying external metrics API: items[0].value '"
              + quantity
              + "' is not a quantity");
    }
  }

  @Override
  public boolean isOnline() throws MetricsProviderException {
    try {
      list(new Query("kube-system", "dummy-metric", ""));
      return true;
    } catch (MetricsProviderException e) {
      throw new MetricsProviderException(
          "external metrics service unavailable: " + e.getMessage(), e);
    }
  }

  private JsonObject list(Query q) throws MetricsProviderException {
    String path =
        API
            + encode(q.namespace())
            + "/"
            + encode(q.metric())
            + (q.labelSelector().isEmpty() ? "" : "?labelSelector=" + encode(q.labelSelector()));
    // a client of its own: the template's overrides, the check's timeout and no retries (the
    // controller's client retries 5xx answers with backoff, beyond the check's timeout)
    Config config =
        new ConfigBuilder(client.getConfiguration())
            .withRequestRetryBackoffLimit(0)
            .withRequestTimeout((int) timeout.toMillis())
            .withConnectionTimeout((int) timeout.toMillis())
            .build();
    if (address != null) {
      config.setMasterUrl(address);
    }
    if (token != null) {
      config.setOauthToken(token);
      config.setUsername(null);
      config.setPassword(null);
    }
    if (insecureSkipVerify) {
      config.setTrustCerts(true);
      config.setDisableHostnameVerification(true);
    }
    try (KubernetesClient derived = new KubernetesClientBuilder().withConfig(config).build()) {
      return get(derived, path);
    }
  }

  private JsonObject get(KubernetesClient on, String path) throws MetricsProviderException {
    String base = on.getMasterUrl().toString().replaceAll("/+$", "");
    URI uri = URI.create(base + path);
    HttpClient http = on.getHttpClient();
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(uri)
            .header("Accept", "application/json")
            .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .build();
    HttpResponse<InputStream> response;
    try {
      response =
          http.sendAsync(request, InputStream.class)
              .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new MetricsProviderException(
          "request to " + base + " timed out after " + timeout.toMillis() + "ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new MetricsProviderException(
          "request to "
              + base
              + " failed: "
              + cause.getClass().getSimpleName()
              + " "
              + cause.getMessage(),
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetricsProviderException("interrupted while querying " + base);
    }
    String body;
    try (InputStream in = response.body()) {
      body =
          in == null
              ? ""
              : BoundedBody.read(in, OptionalLong.empty(), responseLimit, BoundedBody.origin(uri));
    } catch (BoundedBody.TooLargeException e) {
      throw new MetricsProviderException(e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      throw new MetricsProviderException("reading the answer of " + base + " failed: " + e);
    }
    if (!response.isSuccessful()) {
      String hint =
          response.code() == 401 || response.code() == 403
              ? " (check the token of the template's secretRef, or Flagger's RBAC on"
                  + " external.metrics.k8s.io)"
              : "";
      throw new MetricsProviderException("status " + response.code() + hint + ": " + excerpt(body));
    }
    try (JsonReader reader = Jsons.createReader(new StringReader(body))) {
      return reader.readObject();
    } catch (JsonParsingException | ClassCastException e) {
      throw new MetricsProviderException("the answer is not a JSON object: " + excerpt(body));
    }
  }

  private static String excerpt(String body) {
    String s = body.strip();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
