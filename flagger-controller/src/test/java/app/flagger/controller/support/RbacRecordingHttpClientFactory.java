package app.flagger.controller.support;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The fabric8 HTTP client factory of the test class path (registered in {@code META-INF/services},
 * with a priority above the JDK factory it wraps): every client a test or the controller builds
 * records the (API group, resource, verb) of each request it sends, so {@code
 * RbacLeastPrivilegeCheck} can compare what the controller calls with what its ClusterRole grants.
 *
 * <p>Each distinct line is appended once per test JVM to {@code target/rbac-usage/usage-<pid>.tsv}
 * as {@code group<TAB>resource<TAB>verb<TAB>caller}, where the caller is {@code controller} when
 * the first {@code app.flagger} frame of the sending thread is production code, {@code test} when
 * it is test code (fixtures creating objects), and {@code async} when the request is sent from a
 * thread without such a frame (informers, watches).
 */
public final class RbacRecordingHttpClientFactory implements HttpClient.Factory {
  /** Directory of the usage files, relative to the module's working directory. */
  public static final Path USAGE_DIR = Path.of("target", "rbac-usage");

  private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private final HttpClient.Factory jdk = new JdkHttpClientFactory();

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public HttpClient.Builder newBuilder() {
    if (STARTED.compareAndSet(false, true)) {
      forgetEarlierRuns();
    }
    HttpClient.Builder builder = jdk.newBuilder();
    return builder.addOrReplaceInterceptor("RBAC_RECORDER", new Recorder());
  }

  /** Records one request. */
  private static final class Recorder implements Interceptor {
    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      ApiCall.of(request.method(), request.uri())
          .ifPresent(call -> record(call.group() + "\t" + call.resource() + "\t" + call.verb()));
    }
  }

  /**
   * Deletes the usage files of earlier test JVMs, so the files describe this run only (the module
   * runs its tests in one fork). The integration tests run in parallel forks that each do this at
   * their start, so a file another fork deleted first is not an error.
   */
  private static void forgetEarlierRuns() {
    String own = "usage-" + ProcessHandle.current().pid() + ".tsv";
    if (!Files.isDirectory(USAGE_DIR)) {
      return;
    }
    try (Stream<Path> files = Files.list(USAGE_DIR)) {
      for (Path file : files.toList()) {
        if (!file.getFileName().toString().equals(own)) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void record(String call) {
    String line = call + "\t" + caller();
    if (!SEEN.add(line)) {
      return;
    }
    try {
      Files.createDirectories(USAGE_DIR);
      Files.writeString(
          USAGE_DIR.resolve("usage-" + ProcessHandle.current().pid() + ".tsv"),
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String caller() {
    return WALKER.walk(
        frames ->
            frames
                .filter(f -> f.getClassName().startsWith("app.flagger."))
                .filter(f -> !f.getDeclaringClass().equals(RbacRecordingHttpClientFactory.class))
                .filter(f -> !f.getDeclaringClass().equals(Recorder.class))
                .findFirst()
                .map(f -> isTestCode(f.getDeclaringClass()) ? "test" : "controller")
                .orElse("async"));
  }

  private static boolean isTestCode(Class<?> type) {
    var source = type.getProtectionDomain().getCodeSource();
    return source != null && source.getLocation().toString().contains("/test-classes/");
  }

  /** A Kubernetes API request as RBAC sees it; the resource includes a subresource ("a/b"). */
  public record ApiCall(String group, String resource, String verb) {
    /** Empty for non-resource URLs (/version, discovery documents). */
    public static Optional<ApiCall> of(String method, URI uri) {
      String[] s = uri.getRawPath().replaceFirst("^/+", "").split("/");
      String group;
      int rest;
      if (s.length >= 3 && s[0].equals("api")) {
        group = "";
        rest = 2;
      } else if (s.length >= 4 && s[0].equals("apis")) {
        group = s[1];
        rest = 3;
      } else {
        return Optional.empty();
      }
      int resourceAt = rest;
      if (s.length > rest + 2 && s[rest].equals("namespaces")) {
        resourceAt = rest + 2;
      }
      String resource = s[resourceAt];
      String name = s.length > resourceAt + 1 ? s[resourceAt + 1] : null;
      if (s.length > resourceAt + 2) {
        resource = resource + "/" + s[resourceAt + 2];
      }
      String query = Optional.ofNullable(uri.getRawQuery()).orElse("");
      String verb =
          switch (method) {
            case "GET" -> query.contains("watch=true") ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
          };
      return Optional.of(new ApiCall(group, resource, verb));
    }
  }
}
