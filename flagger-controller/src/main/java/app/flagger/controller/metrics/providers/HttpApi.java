package app.flagger.controller.metrics.providers;

import app.flagger.controller.client.HostPermits;
import app.flagger.model.common.GoDuration;
import app.flagger.model.http.BoundedBody;
import app.flagger.model.json.Jsons;
import app.flagger.model.metric.MetricTemplateProvider;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * GET requests to a metrics vendor's HTTP API (New Relic, Graphite, Dynatrace): one Helidon client
 * per provider, no redirects, the timeout on connecting and reading, the answer read up to the
 * response limit, the template's extra {@code headers} and {@code insecureSkipVerify} applied.
 */
final class HttpApi {
  /** The most characters of an error answer quoted in a failed check's message. */
  static final int EXCERPT = 512;

  private final WebClient client;
  private final String prefix;
  private final String origin;
  private final Duration timeout;
  private final long responseLimit;
  private final Map<String, List<String>> headers;
  private final String[] authorization;
  private final String credentialsHint;

  /**
   * @param authorization the credentials header, name then value, or null
   * @param credentialsHint what to check when the API answers 401 or 403 (Secret and keys)
   */
  HttpApi(URI address, Settings settings, String[] authorization, String credentialsHint) {
    this.authorization = authorization;
    this.credentialsHint = credentialsHint;
    String path = address.getRawPath() == null ? "" : address.getRawPath();
    this.prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.origin = BoundedBody.origin(address);
    this.timeout = settings.timeout();
    this.responseLimit = settings.responseLimit();
    this.headers = settings.spec().headers() == null ? Map.of() : settings.spec().headers();
    this.client =
        WebClients.of(address, timeout, Boolean.TRUE.equals(settings.spec().insecureSkipVerify()));
  }

  /** {@code path} under the address's own path ({@code /prefix} + {@code /v1/...}). */
  String path(String path) {
    return prefix + path;
  }

  /**
   * Sends {@code GET path?params} with the template's headers, then the credentials header, and
   * returns the status and the body.
   *
   * @param params query parameters in the order they are sent
   */
  Answer get(String path, Map<String, List<String>> params) throws MetricsProviderException {
    HttpClientRequest request = client.get(path);
    request.readTimeout(timeout);
    params.forEach((name, values) -> request.queryParam(name, values.toArray(String[]::new)));
    headers.forEach(
        (name, values) -> request.header(HeaderNames.create(name), values.toArray(String[]::new)));
    if (authorization != null) {
      request.header(HeaderNames.create(authorization[0]), authorization[1]);
    }
    try (HostPermits.Permit permit = WebClients.permit(origin, timeout);
        HttpClientResponse response = request.request()) {
      String body =
          BoundedBody.read(
              response.inputStream(),
              response.headers().contentLength(),
              responseLimit,
              origin + path);
      return new Answer(response.status().code(), body);
    } catch (RuntimeException e) {
      throw new MetricsProviderException("request failed: " + HttpProviderClient.describe(e), e);
    }
  }

  /** {@link #get}, where any status but 200 is {@link #refused}. */
  Answer getOk(String path, Map<String, List<String>> params) throws MetricsProviderException {
    Answer answer = get(path, params);
    if (answer.status() != 200) {
      throw refused(answer);
    }
    return answer;
  }

  /**
   * The failed check for a refused request: {@code error response: Status 503 Service Unavailable:
   * <body excerpt>}; a 401 or 403 adds which Secret keys to check.
   */
  MetricsProviderException refused(Answer answer) {
    int code = answer.status();
    String text =
        "error response: Status "
            + code
            + " "
            + Status.create(code).reasonPhrase()
            + ": "
            + excerpt(answer.body());
    boolean denied = code == 401 || code == 403;
    return new MetricsProviderException(denied ? text + " (" + credentialsHint + ")" : text);
  }

  /** The answer's JSON document, or {@code error unmarshaling result: <why>, '<body excerpt>'}. */
  static JsonValue json(String body) throws MetricsProviderException {
    try (JsonReader reader = Jsons.createReader(new StringReader(body))) {
      return reader.readValue();
    } catch (JsonException | IllegalStateException | NoSuchElementException e) {
      throw unreadable(e.getMessage(), body);
    }
  }

  /** {@code error unmarshaling result: <why>, '<body excerpt>'}. */
  static MetricsProviderException unreadable(String why, String body) {
    return new MetricsProviderException(
        "error unmarshaling result: " + why + ", '" + excerpt(body) + "'");
  }

  /** An HTTP answer: its status code and body. */
  record Answer(int status, String body) {}

  /** At most {@link #EXCERPT} characters of {@code body}, whitespace collapsed. */
  static String excerpt(String body) {
    String text = body == null ? "" : PrometheusProvider.trimQuery(body).strip();
    return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "...";
  }

  /**
   * What a provider is built from.
   *
   * @param spec the template's {@code spec.provider}
   * @param credentials the decoded data of its {@code secretRef}, empty without one
   * @param metricInterval the Canary metric's {@code interval} ({@code 1m} when unset)
   * @param timeout the request timeout
   * @param responseLimit the most bytes of an answer read
   * @param clock where the time window of a query ends
   */
  record Settings(
      MetricTemplateProvider spec,
      Map<String, String> credentials,
      String metricInterval,
      Duration timeout,
      long responseLimit,
      Clock clock) {

    /** The metric interval, or Flagger's construction error. */
    Duration interval() throws MetricsProviderException {
      return GoDuration.parse(metricInterval)
          .orElseThrow(
              () ->
                  new MetricsProviderException(
                      "error parsing metric interval: time: invalid duration \""
                          + (metricInterval == null ? "" : metricInterval)
                          + "\""));
    }

    /** The Secret named by {@code spec.provider.secretRef}, for messages. */
    String secretName() {
      return spec.secretRef() == null ? null : spec.secretRef().name();
    }

    /** Where a missing credential was looked for: {@code Secret <name>}, or the missing ref. */
    String secretPlace() {
      String name = secretName();
      return name == null ? "no spec.provider.secretRef is set" : "Secret " + name;
    }
  }
}
