package app.flagger.loadtester.grpc;

import app.flagger.loadtester.load.GoDuration;
import app.flagger.model.json.Jsons;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import io.grpc.health.v1.HealthProto;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a {@code ghz} command line (ghz 0.120 flags, kingpin syntax: {@code --name=value}, {@code
 * --name value}, {@code -n 100}, {@code -n100}) into a {@link GhzSpec}. Two additions make
 * Flagger's documented example {@code ghz -z 1m -q 10 -c 2 --insecure podinfo.test:9898} work:
 * {@code -q} is read as the total rate (old ghz's QPS flag) and, without {@code --call}, the call
 * is {@code grpc.health.v1.Health/Check}.
 */
public final class GhzCommand {
  /** The call when the command line names none. */
  public static final String DEFAULT_CALL = "grpc.health.v1.Health/Check";

  private static final Map<Character, String> SHORT =
      Map.ofEntries(
          Map.entry('i', "import-paths"),
          Map.entry('r', "rps"),
          Map.entry('q', "rps"),
          Map.entry('c', "concurrency"),
          Map.entry('n', "total"),
          Map.entry('t', "timeout"),
          Map.entry('z', "duration"),
          Map.entry('x', "max-duration"),
          Map.entry('d', "data"),
          Map.entry('D', "data-file"),
          Map.entry('b', "binary"),
          Map.entry('B', "binary-file"),
          Map.entry('m', "metadata"),
          Map.entry('M', "metadata-file"),
          Map.entry('o', "output"),
          Map.entry('O', "format"),
          Map.entry('e', "enable-compression"));
  private static final Set<String> BOOLEAN =
      Set.of(
          "skipTLS",
          "insecure",
          "async",
          "binary",
          "count-errors",
          "enable-compression",
          "disable-template-functions",
          "disable-template-data",
          "stream-dynamic-messages");
  private static final Set<String> VALUE =
      Set.of(
          "proto",
          "protoset",
          "call",
          "import-paths",
          "cacert",
          "cert",
          "key",
          "cname",
          "authority",
          "rps",
          "load-schedule",
          "load-start",
          "load-step",
          "load-end",
          "load-step-duration",
          "load-max-duration",
          "concurrency",
          "concurrency-schedule",
          "concurrency-start",
          "concurrency-end",
          "concurrency-step",
          "concurrency-step-duration",
          "concurrency-max-duration",
          "total",
          "timeout",
          "duration",
          "max-duration",
          "duration-stop",
          "data",
          "data-file",
          "binary-file",
          "metadata",
          "metadata-file",
          "stream-interval",
          "stream-call-duration",
          "stream-call-count",
          "reflect-metadata",
          "output",
          "format",
          "skipFirst",
          "connections",
          "connect-timeout",
          "keepalive",
          "name",
          "tags",
          "cpus",
          "debug",
          "lb-strategy",
          "max-recv-message-size",
          "max-send-message-size",
          "config");

  /** Flags whose feature the built-in ghz does not have, with the reason. */
  private static final Map<String, String> REFUSED =
      Map.ofEntries(
          Map.entry("binary", "binary call data is not supported; use -d with JSON"),
          Map.entry("binary-file", "binary call data is not supported; use -d with JSON"),
          Map.entry("cert", "client certificates are not supported"),
          Map.entry("key", "client certificates are not supported"),
          Map.entry("config", "config files are not supported; put the flags on the command line"),
          Map.entry("output", "the report goes to the log (and the response with returnCmdOutput)"),
          Map.entry("stream-interval", "streaming calls are not supported"),
          Map.entry("stream-call-duration", "streaming calls are not supported"),
          Map.entry("stream-call-count", "streaming calls are not supported"),
          Map.entry("stream-dynamic-messages", "streaming calls are not supported"),
          Map.entry("load-start", "only the const load schedule (--rps) is supported"),
          Map.entry("load-step", "only the const load schedule (--rps) is supported"),
          Map.entry("load-end", "only the const load schedule (--rps) is supported"),
          Map.entry("load-step-duration", "only the const load schedule (--rps) is supported"),
          Map.entry("load-max-duration", "only the const load schedule (--rps) is supported"),
          Map.entry("concurrency-start", "only the const concurrency schedule (-c) is supported"),
          Map.entry("concurrency-end", "only the const concurrency schedule (-c) is supported"),
          Map.entry("concurrency-step", "only the const concurrency schedule (-c) is supported"),
          Map.entry(
              "concurrency-step-duration", "only the const concurrency schedule (-c) is supported"),
          Map.entry(
              "concurrency-max-duration", "only the const concurrency schedule (-c) is supported"));

  private GhzCommand() {}

  /**
   * Parses the arguments after {@code ghz}.
   *
   * @param files reads a local file ({@code --protoset}, {@code -D}, {@code -M}, {@code --cacert});
   *     throws {@link IllegalArgumentException} when reading local files is not allowed
   * @throws IllegalArgumentException naming the flag that is wrong or over its limit
   */
  public static GhzSpec parse(
      List<String> args, Function<String, byte[]> files, GrpcLimits limits) {
    Map<String, String> f = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name;
      String value = null;
      if (a.startsWith("--") && a.length() > 2) {
        name = a.substring(2);
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (name.startsWith("no-") && BOOLEAN.contains(name.substring(3)) && value == null) {
          f.put(name.substring(3), "false");
          continue;
        }
        if (!BOOLEAN.contains(name) && !VALUE.contains(name)) {
          throw new IllegalArgumentException("ghz: unknown long flag '--" + name + "'");
        }
      } else if (a.startsWith("-") && a.length() > 1) {
        name = SHORT.get(a.charAt(1));
        if (name == null) {
          throw new IllegalArgumentException("ghz: unknown short flag '-" + a.charAt(1) + "'");
        }
        String rest = a.substring(2);
        if (!rest.isEmpty()) {
          value = rest.startsWith("=") ? rest.substring(1) : rest;
        }
      } else {
        positional.add(a);
        continue;
      }
      if (BOOLEAN.contains(name)) {
        if (value != null && !value.equals("true") && !value.equals("false")) {
          throw new IllegalArgumentException(
              "ghz: --" + name + " is a switch, it takes no value (got \"" + value + "\")");
        }
        f.put(name, value == null ? "true" : value);
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("ghz: expected argument for flag '--" + name + "'");
        }
        value = args.get(++i);
      }
      f.put(name, value);
    }
    if (positional.size() != 1) {
      throw new IllegalArgumentException(
          positional.isEmpty()
              ? "ghz: host required (usage: ghz [flags] host:port)"
              : "ghz: expected one host:port after the flags, got " + positional);
    }
    return toSpec(f, positional.getFirst(), files, limits);
  }

  private static GhzSpec toSpec(
      Map<String, String> f, String host, Function<String, byte[]> files, GrpcLimits limits) {
    for (Map.Entry<String, String> e : REFUSED.entrySet()) {
      if (f.containsKey(e.getKey()) && !"false".equals(f.get(e.getKey()))) {
        throw new IllegalArgumentException(
            "ghz: --" + e.getKey() + " is not supported by the built-in ghz: " + e.getValue());
      }
    }
    requireOneOf(f, "load-schedule", "const");
    requireOneOf(f, "concurrency-schedule", "const");
    requireOneOf(f, "format", "summary");
    requireOneOf(f, "duration-stop", "close", "wait", "ignore");
    GrpcTarget target;
    try {
      target = GrpcTarget.parse(host);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ghz: host: " + e.getMessage(), e);
    }
    String call = f.getOrDefault("call", DEFAULT_CALL).trim();
    int slash = call.indexOf('/');
    int split = slash >= 0 ? slash : call.lastIndexOf('.');
    if (split <= 0 || split == call.length() - 1) {
      throw new IllegalArgumentException(
          "ghz: --call: expected 'package.Service/Method' or 'package.Service.Method', got \""
              + call
              + "\"");
    }
    int c = (int) whole(f, "concurrency", 50, limits.maxConcurrency());
    int connections = (int) whole(f, "connections", 1, limits.maxConcurrency());
    if (connections > c) {
      throw new IllegalArgumentException(
          "ghz: number of connections cannot be greater than concurrency");
    }
    long n = whole(f, "total", 200, Long.MAX_VALUE);
    double rps = whole(f, "rps", 0, Long.MAX_VALUE);
    if (rps > limits.maxRate()) {
      throw new IllegalArgumentException(
          "ghz: --rps "
              + f.get("rps")
              + " is over the limit of "
              + Math.round(limits.maxRate())
              + " requests per second");
    }
    Duration z = duration(f, "duration", Duration.ZERO, limits);
    Duration x = duration(f, "max-duration", Duration.ZERO, limits);
    if (z.isZero() && n < 1) {
      throw new IllegalArgumentException("ghz: -n must be at least 1 when -z is not set");
    }
    long skipFirst = whole(f, "skipFirst", 0, Long.MAX_VALUE);
    if (z.isZero() && skipFirst >= n) {
      throw new IllegalArgumentException("ghz: you cannot skip more requests than those run");
    }
    boolean insecure = "true".equals(f.get("insecure"));
    byte[] caCert = f.containsKey("cacert") ? read(files, "cacert", f.get("cacert")) : null;
    TlsOptions tls =
        new TlsOptions(
            !insecure, "true".equals(f.get("skipTLS")), caCert, blankToNull(f.get("cname")));
    return new GhzSpec(
        target,
        call.substring(0, split),
        call.substring(split + 1),
        data(f, files),
        stringMap(f, "metadata", files),
        stringMap(f, "reflect-metadata", files),
        protoset(f, files),
        z.isZero() ? n : 0,
        c,
        rps,
        z,
        x,
        "wait".equals(f.get("duration-stop")),
        duration(f, "timeout", Duration.ofSeconds(20), null),
        duration(f, "connect-timeout", Duration.ofSeconds(10), null),
        connections,
        tls,
        blankToNull(f.get("authority")),
        blankToNull(f.get("name")),
        "true".equals(f.get("count-errors")),
        skipFirst,
        "true".equals(f.get("enable-compression")));
  }

  /** The descriptors: {@code --proto health.proto} is built in, {@code --protoset} is read. */
  private static byte[] protoset(Map<String, String> f, Function<String, byte[]> files) {
    if (f.containsKey("proto")) {
      String proto = f.get("proto").trim();
      String base = proto.substring(proto.lastIndexOf('/') + 1);
      if (base.equals("health.proto")) {
        // the file Flagger's image ships at /tmp/ghz/health.proto: grpc.health.v1
        return FileDescriptorSet.newBuilder()
            .addFile(HealthProto.getDescriptor().toProto())
            .build()
            .toByteArray();
      }
      throw new IllegalArgumentException(
          "ghz: --proto "
              + proto
              + ": .proto source files cannot be compiled by the built-in ghz (only grpc.health.v1's"
              + " health.proto is built in); leave out --proto to use the server's reflection, or"
              + " pass --protoset with a descriptor set (protoc --include_imports -o"
              + " service.protoset service.proto)");
    }
    if (f.containsKey("protoset")) {
      return read(files, "protoset", f.get("protoset"));
    }
    return null;
  }

  private static List<String> data(Map<String, String> f, Function<String, byte[]> files) {
    String text;
    if (f.containsKey("data")) {
      text = f.get("data");
      if (text.trim().equals("@")) {
        throw new IllegalArgumentException(
            "ghz: -d @ (read from stdin) is not supported; put the JSON in -d");
      }
    } else if (f.containsKey("data-file")) {
      text = new String(read(files, "data-file", f.get("data-file")), StandardCharsets.UTF_8);
    } else {
      return List.of("{}");
    }
    if (text.isBlank()) {
      return List.of("{}");
    }
    if (text.contains("{{")) {
      throw new IllegalArgumentException(
          "ghz: -d: call data templates ({{ ... }}) are not supported by the built-in ghz");
    }
    JsonStructure json = json("data", text);
    if (json instanceof JsonObject) {
      return List.of(json.toString());
    }
    JsonArray array = (JsonArray) json;
    if (array.isEmpty() || array.stream().anyMatch(v -> !(v instanceof JsonObject))) {
      throw new IllegalArgumentException(
          "ghz: -d: expected a JSON object or a non-empty array of objects, got " + text);
    }
    return array.stream().map(JsonValue::toString).toList();
  }

  private static Map<String, String> stringMap(
      Map<String, String> f, String flag, Function<String, byte[]> files) {
    String text = f.get(flag);
    if (text == null && flag.equals("metadata") && f.containsKey("metadata-file")) {
      text =
          new String(read(files, "metadata-file", f.get("metadata-file")), StandardCharsets.UTF_8);
    }
    if (text == null || text.isBlank()) {
      return Map.of();
    }
    if (!(json(flag, text) instanceof JsonObject o)) {
      throw new IllegalArgumentException(
          "ghz: --" + flag + ": expected a JSON object of strings, got " + text);
    }
    Map<String, String> out = new LinkedHashMap<>();
    o.forEach(
        (k, v) -> {
          if (!(v instanceof JsonString s)) {
            throw new IllegalArgumentException("ghz: --" + flag + ": " + k + " must be a string");
          }
          if (k.endsWith("-bin")) {
            throw new IllegalArgumentException(
                "ghz: --" + flag + ": binary headers (" + k + ") are not supported");
          }
          out.put(k.toLowerCase(java.util.Locale.ROOT), s.getString());
        });
    return out;
  }

  private static JsonStructure json(String flag, String text) {
    try (var r = Jsons.createReader(new StringReader(text))) {
      return r.read();
    } catch (JsonException e) {
      throw new IllegalArgumentException(
          "ghz: error unmarshaling " + flag + " '" + text + "': " + e.getMessage(), e);
    }
  }

  private static byte[] read(Function<String, byte[]> files, String flag, String path) {
    try {
      return files.apply(path.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "ghz --"
              + flag
              + " "
              + path
              + ": local files are read only from loadtester.load.body-file-dir ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private static void requireOneOf(Map<String, String> f, String flag, String... allowed) {
    String v = f.get(flag);
    if (v != null && !List.of(allowed).contains(v.trim())) {
      throw new IllegalArgumentException(
          "ghz: --"
              + flag
              + " "
              + v
              + " is not supported by the built-in ghz (supported: "
              + String.join(", ", allowed)
              + ")");
    }
  }

  private static long whole(Map<String, String> f, String flag, long def, long max) {
    String v = f.get(flag);
    if (v == null) {
      return def;
    }
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "ghz: --" + flag + ": expected a whole number >= 0, got \"" + v + "\"", e);
    }
    if (n < 0) {
      throw new IllegalArgumentException(
          "ghz: --" + flag + ": expected a whole number >= 0, got \"" + v + "\"");
    }
    if (n > max) {
      throw new IllegalArgumentException(
          "ghz: --" + flag + " " + n + " is over the limit of " + max);
    }
    return n;
  }

  private static Duration duration(
      Map<String, String> f, String flag, Duration def, GrpcLimits limits) {
    String v = f.get(flag);
    if (v == null) {
      return def;
    }
    Duration d;
    try {
      d = GoDuration.parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ghz: --" + flag + ": " + e.getMessage(), e);
    }
    if (limits != null && d.compareTo(limits.maxDuration()) > 0) {
      throw new IllegalArgumentException(
          "ghz: --"
              + flag
              + " "
              + v
              + " is over the limit of "
              + GoDurations.format(limits.maxDuration()));
    }
    return d;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
