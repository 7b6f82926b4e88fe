package app.flagger.controller.bench;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Counts the API server's requests by verb and resource (object names and namespaces folded), so
 * the benchmark can say which calls a tick makes without costing the controller anything.
 */
final class CountingDispatcher extends Dispatcher {
  private static final Pattern NAMESPACE = Pattern.compile("/namespaces/[^/]+");
  private static final Pattern NAME =
      Pattern.compile(
          "/(deployments|services|canaries|events|configmaps|secrets|daemonsets"
              + "|horizontalpodautoscalers|leases|virtualservices|destinationrules)/[^/?]+");

  private final Dispatcher delegate;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  CountingDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    int q = path.indexOf('?');
    String query = q < 0 ? "" : path.substring(q);
    String p = q < 0 ? path : path.substring(0, q);
    p = NAMESPACE.matcher(p).replaceAll("/namespaces/{ns}");
    p = NAME.matcher(p).replaceAll("/$1/{name}");
    String verb = request.getMethod() + (query.contains("watch=true") ? " WATCH" : "");
    counts.computeIfAbsent(verb + " " + p, k -> new LongAdder()).increment();
    return delegate.dispatch(request);
  }

  /** The counts so far, and resets them. */
  Map<String, Long> drain() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sumThenReset()));
    out.values().removeIf(v -> v == 0);
    return out;
  }
}
