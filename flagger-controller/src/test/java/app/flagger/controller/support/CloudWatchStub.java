package app.flagger.controller.support;

import app.flagger.controller.metrics.providers.CloudWatchClients;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORFactory;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORGenerator;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORParser;

/**
 * A CloudWatch endpoint on a mock web server, speaking the protocol the AWS SDK for Java v2 uses
 * for CloudWatch: Smithy RPC v2 CBOR ({@code POST /service/GraniteServiceVersion20100801/operation/
 * GetMetricData}, CBOR bodies, header {@code smithy-protocol: rpc-v2-cbor}). Answers are written as
 * JSON (test resources under {@code metrics/cloudwatch/}) and sent as CBOR, timestamps as CBOR tag
 * 1; requests are decoded back to JSON for the assertions.
 */
public final class CloudWatchStub implements AutoCloseable {
  /** The operation path of GetMetricData in the RPC v2 CBOR protocol. */
  public static final String GET_METRIC_DATA =
      "/service/GraniteServiceVersion20100801/operation/GetMetricData";

  private static final CBORFactory CBOR = new CBORFactory();

  public final MockWebServer server = new MockWebServer();
  public final List<Received> requests = new CopyOnWriteArrayList<>();
  private volatile Function<JsonObject, MockResponse> answer = r -> ok(Json.createValue(0));

  /** One request: its path, headers and decoded body. */
  public record Received(String path, Map<String, List<String>> headers, JsonObject body) {}

  public CloudWatchStub() throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            JsonObject body = decode(r.getBody() == null ? new byte[0] : r.getBody().toByteArray());
            requests.add(new Received(r.getTarget(), r.getHeaders().toMultimap(), body));
            return answer.apply(body);
          }
        });
    server.start();
  }

  /** Clients of this stub with fixed test credentials. */
  public CloudWatchClients clients() {
    return CloudWatchClients.at(
        server.url("/").uri(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")));
  }

  /** Every request is answered by {@code answer} from its decoded body. */
  public void answer(Function<JsonObject, MockResponse> answer) {
    this.answer = answer;
  }

  /** Every request is answered with {@code response}. */
  public void answer(MockResponse response) {
    this.answer = r -> response;
  }

  /** A GetMetricData answer whose first result has one value. */
  public static MockResponse ok(JsonValue value) {
    return ok(
        Json.createObjectBuilder()
            .add(
                "MetricDataResults",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("Id", "e1")
                            .add("Label", "stub")
                            .add("Timestamps", Json.createArrayBuilder().add(1_700_000_000))
                            .add("Values", Json.createArrayBuilder().add(value))
                            .add("StatusCode", "Complete")))
            .add("Messages", JsonValue.EMPTY_JSON_ARRAY)
            .build());
  }

  /** A 200 answer with {@code body} sent as CBOR. */
  public static MockResponse ok(JsonObject body) {
    return cbor(200, body);
  }

  /** An error answer: {@code body} holds {@code __type} and {@code message}. */
  public static MockResponse error(int status, JsonObject body) {
    return cbor(status, body);
  }

  /** A JSON test resource under {@code metrics/cloudwatch/}. */
  public static JsonObject resource(String name) {
    try (InputStream in = CloudWatchStub.class.getResourceAsStream("/metrics/cloudwatch/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource metrics/cloudwatch/" + name);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Json.createReader(new StringReader(text)).readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MockResponse cbor(int status, JsonObject body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = (CBORGenerator) CBOR.createGenerator(out)) {
      write(g, null, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new MockResponse.Builder()
        .code(status)
        .addHeader("smithy-protocol", "rpc-v2-cbor")
        .addHeader("Content-Type", "application/cbor")
        .addHeader("x-amzn-RequestId", "req-" + status)
        .body(new Buffer().write(out.toByteArray()))
        .build();
  }

  /** Writes JSON as CBOR; numbers in a {@code Timestamps} array are epoch seconds (tag 1). */
  private static void write(CBORGenerator g, String field, JsonValue v) throws IOException {
    switch (v.getValueType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Map.Entry<String, JsonValue> e : v.asJsonObject().entrySet()) {
          g.writeFieldName(e.getKey());
          write(g, e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonValue item : v.asJsonArray()) {
          if ("Timestamps".equals(field)) {
            g.writeTag(1);
          }
          write(g, null, item);
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(((JsonString) v).getString());
      case NUMBER -> {
        JsonNumber n = (JsonNumber) v;
        if (n.isIntegral() && !"Values".equals(field)) {
          g.writeNumber(n.longValue());
        } else {
          g.writeNumber(n.doubleValue());
        }
      }
      case TRUE -> g.writeBoolean(true);
      case FALSE -> g.writeBoolean(false);
      case NULL -> g.writeNull();
    }
  }

  /** A CBOR request body as JSON; a tag-1 timestamp becomes its epoch seconds. */
  static JsonObject decode(byte[] cbor) {
    if (cbor.length == 0) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    try (CBORParser p = (CBORParser) CBOR.createParser(cbor)) {
      p.nextToken();
      return read(p).asJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonValue read(CBORParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        JsonObjectBuilder o = Json.createObjectBuilder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          o.add(name, read(p));
        }
        return o.build();
      }
      case START_ARRAY -> {
        JsonArrayBuilder a = Json.createArrayBuilder();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(read(p));
        }
        return a.build();
      }
      case VALUE_STRING -> {
        return Json.createValue(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return Json.createValue(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return Json.createValue(BigDecimal.valueOf(p.getDoubleValue()));
      }
      case VALUE_TRUE -> {
        return JsonValue.TRUE;
      }
      case VALUE_FALSE -> {
        return JsonValue.FALSE;
      }
      case VALUE_NULL -> {
        return JsonValue.NULL;
      }
      default -> throw new IOException("unexpected CBOR token " + t);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
