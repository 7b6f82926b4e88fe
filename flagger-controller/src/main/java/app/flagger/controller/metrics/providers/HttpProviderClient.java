package app.flagger.controller.metrics.providers;

import app.flagger.controller.client.HostPermits;
import app.flagger.model.http.BoundedBody;
import app.flagger.model.json.Jsons;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the HTTP metric providers share: one Helidon {@link WebClient} for the provider's address
 * (connect and read bounded by the timeout, no redirects, optionally trusting any certificate),
 * requests whose answer is read up to the response limit, and Go's wording of failures. A request
 * that cannot be sent or answered fails with {@code request failed: <cause>}; the status code is
 * the caller's to judge.
 */
final class HttpProviderClient {
  private final WebClient client;
  private final String origin;
  private final String basePath;
  private final Duration timeout;
  private final long responseLimit;

  /**
   * @param address the provider URL, possibly with a path prefix every request path goes under
   * @param insecureSkipVerify trust any TLS certificate
   * @param timeout bound on connecting and on reading the answer
   * @param responseLimit the most bytes of an answer read; a longer one fails the request
   */
  HttpProviderClient(
      URI address, boolean insecureSkipVerify, Duration timeout, long responseLimit) {
    String path = address.getRawPath() == null ? "" : address.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.origin = BoundedBody.origin(address);
    this.timeout = timeout;
    this.responseLimit = responseLimit;
    this.client = WebClients.of(address, timeout, insecureSkipVerify);
  }

  /** {@code path} (starting with {@code /}) under the address' path prefix. */
  String path(String path) {
    return basePath + path;
  }

  /** Sends {@code GET path?query} with {@code headers} and reads the answer. */
  Response get(String path, Map<String, String> query, Map<String, List<String>> headers)
      throws MetricsProviderException {
    return send(client.get(path), path, query, headers, null);
  }

  /** Sends {@code POST path?query} with {@code headers} and {@code body} and reads the answer. */
  Response post(
      String path, Map<String, String> query, Map<String, List<String>> headers, String body)
      throws MetricsProviderException {
    return send(client.post(path), path, query, headers, body);
  }

  private Response send(
      HttpClientRequest request,
      String path,
      Map<String, String> query,
      Map<String, List<String>> headers,
      String body)
      throws MetricsProviderException {
    query.forEach(request::queryParam);
    request.readTimeout(timeout);
    headers.forEach(
        (name, values) -> request.header(HeaderNames.create(name), values.toArray(String[]::new)));
    try (HostPermits.Permit permit = WebClients.permit(origin, timeout);
        HttpClientResponse response =
            body == null
                ? request.request()
                : request.submit(body.getBytes(StandardCharsets.UTF_8))) {
      String text =
          BoundedBody.read(
              response.inputStream(),
              response.headers().contentLength(),
              responseLimit,
              origin + path);
      return new Response(response.status().code(), text);
    } catch (RuntimeException e) {
      throw new MetricsProviderException("request failed: " + describe(e), e);
    }
  }

  /**
   * The JSON object of an answer; unreadable, Go's {@code error unmarshaling result: <why>,
   * '<quoted>'}.
   *
   * @param quoted what of the body the message quotes (the body, or its {@link #excerpt})
   */
  static JsonObject jsonObject(String body, String quoted) throws MetricsProviderException {
    try (JsonReader reader = Jsons.createReader(new StringReader(body))) {
      return reader.readObject();
    } catch (JsonParsingException | ClassCastException | IllegalStateException e) {
      throw new MetricsProviderException(
          "error unmarshaling result: " + e.getMessage() + ", '" + quoted + "'");
    }
  }

  /** {@code text} cut to {@link Response#EXCERPT} characters for an error message. */
  static String excerpt(String text) {
    return text.length() <= Response.EXCERPT ? text : text.substring(0, Response.EXCERPT) + "...";
  }

  /** The root cause of a failed request, prefixed by the wrapper's type when they differ. */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? text : e.getClass().getSimpleName() + ": " + text;
  }

  /** An answer: its status code and its body, read whole (within the response limit). */
  record Response(int code, String body) {
    /** The most characters of a body quoted in an error message. */
    static final int EXCERPT = 1024;

    /** The body, cut to {@link #EXCERPT} characters for an error message. */
    String excerpt() {
      return HttpProviderClient.excerpt(body);
    }

    /** Go's {@code r.Status}: {@code 403 Forbidden}. */
    String status() {
      return code + " " + Status.create(code).reasonPhrase();
    }

    /** 401 or 403: the credentials were refused. */
    boolean unauthorized() {
      return code == 401 || code == 403;
    }
  }
}
