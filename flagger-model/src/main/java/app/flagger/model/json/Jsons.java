package app.flagger.model.json;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonWriterFactory;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * {@link jakarta.json.Json}'s factory methods on one {@link JsonProvider} looked up once. Each
 * {@code Json.createXxx} call looks the provider up again through the ServiceLoader, which scans
 * the class path's jars: with a thousand Canaries in analysis that lookup was a tenth of the
 * controller's CPU (every Prometheus answer, webhook payload, status patch and JSON log line).
 * Production code uses this class instead of {@code Json}; the methods have the same names.
 */
public final class Jsons {
  private static final JsonProvider PROVIDER = JsonProvider.provider();

  private Jsons() {}

  public static JsonObjectBuilder createObjectBuilder() {
    return PROVIDER.createObjectBuilder();
  }

  public static JsonObjectBuilder createObjectBuilder(JsonObject object) {
    return PROVIDER.createObjectBuilder(object);
  }

  public static JsonObjectBuilder createObjectBuilder(Map<String, ?> map) {
    return PROVIDER.createObjectBuilder(map);
  }

  public static JsonArrayBuilder createArrayBuilder() {
    return PROVIDER.createArrayBuilder();
  }

  public static JsonArrayBuilder createArrayBuilder(JsonArray array) {
    return PROVIDER.createArrayBuilder(array);
  }

  public static JsonArrayBuilder createArrayBuilder(Collection<?> collection) {
    return PROVIDER.createArrayBuilder(collection);
  }

  public static JsonReader createReader(Reader reader) {
    return PROVIDER.createReader(reader);
  }

  public static JsonReader createReader(InputStream in) {
    return PROVIDER.createReader(in);
  }

  public static JsonParser createParser(Reader reader) {
    return PROVIDER.createParser(reader);
  }

  public static JsonParser createParser(InputStream in) {
    return PROVIDER.createParser(in);
  }

  public static JsonWriterFactory createWriterFactory(Map<String, ?> config) {
    return PROVIDER.createWriterFactory(config);
  }

  public static JsonString createValue(String value) {
    return PROVIDER.createValue(value);
  }

  public static JsonNumber createValue(int value) {
    return PROVIDER.createValue(value);
  }

  public static JsonNumber createValue(long value) {
    return PROVIDER.createValue(value);
  }

  public static JsonNumber createValue(double value) {
    return PROVIDER.createValue(value);
  }

  public static JsonNumber createValue(BigDecimal value) {
    return PROVIDER.createValue(value);
  }

  public static JsonNumber createValue(BigInteger value) {
    return PROVIDER.createValue(value);
  }
}
