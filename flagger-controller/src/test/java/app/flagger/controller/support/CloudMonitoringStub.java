package app.flagger.controller.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Google Cloud Monitoring and Google's OAuth2 token endpoint on one mock server: {@code POST
 * /token} answers {@code metrics/stackdriver/token.json}, every other request is a {@code
 * timeSeries:query} answered by {@link #answer} (given the request's MQL query). {@link
 * #serviceAccountKey()} is a service account key JSON whose {@code token_uri} points here, signed
 * with a key generated for the test run, so the real credentials code fetches its tokens here.
 */
public final class CloudMonitoringStub implements AutoCloseable {
  /** The token the stub's token endpoint hands out. */
  public static final String TOKEN = "ya29.test-token";

  private static final KeyPair KEYS = generate();

  public final MockWebServer server = new MockWebServer();
  public final List<RecordedRequest> queries = new CopyOnWriteArrayList<>();
  public final List<RecordedRequest> tokenRequests = new CopyOnWriteArrayList<>();

  /** The answer to a query; the default is {@code query.json} (value 12.5). */
  public volatile Function<String, MockResponse> answer = q -> json(200, "query.json");

  public CloudMonitoringStub() throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            if ("/token".equals(r.getUrl().encodedPath())) {
              tokenRequests.add(r);
              return json(200, "token.json");
            }
            queries.add(r);
            return answer.apply(query(r));
          }
        });
    server.start();
  }

  /** The {@code query} of a recorded {@code timeSeries:query} request's JSON body. */
  public static String query(RecordedRequest request) {
    JsonObject body = Json.createReader(new StringReader(request.getBody().utf8())).readObject();
    return body.getString("query");
  }

  /** The API's base URL, for {@code spec.provider.address}. */
  public String address() {
    return server.url("/").toString();
  }

  /** A service account key JSON whose tokens come from this stub. */
  public String serviceAccountKey() {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(KEYS.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return Json.createObjectBuilder()
        .add("type", "service_account")
        .add("project_id", "my-project")
        .add("private_key_id", "0123456789abcdef")
        .add("private_key", pem)
        .add("client_email", "flagger@my-project.iam.gserviceaccount.com")
        .add("client_id", "123456789")
        .add("token_uri", server.url("/token").toString())
        .build()
        .toString();
  }

  /** A JSON answer from {@code metrics/stackdriver/<resource>}. */
  public static MockResponse json(int code, String resource) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json; charset=UTF-8")
        .body(resource(resource))
        .build();
  }

  /** A {@code timeSeries:query} answer whose first point is {@code value}. */
  public static MockResponse value(double value) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "application/json; charset=UTF-8")
        .body(
            "{\"timeSeriesData\":[{\"pointData\":[{\"values\":[{\"doubleValue\":"
                + value
                + "}]}]}]}")
        .build();
  }

  /** The text of {@code metrics/stackdriver/<name>}. */
  public static String resource(String name) {
    try (InputStream in =
        CloudMonitoringStub.class.getResourceAsStream("/metrics/stackdriver/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource metrics/stackdriver/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
