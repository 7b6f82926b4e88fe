package app.flagger.controller.bench;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's record of which controller process called about which Canary: every request on a
 * named Canary ({@code .../canaries/<name>}, its {@code /status} included) is attributed to the
 * bearer token of its kubeconfig (one token per process), separately before and after {@link
 * #nextPhase()}. Requests without a name (the informers' list and watch) are not attributed.
 */
final class CanaryCallers extends Dispatcher {
  private static final Pattern CANARY = Pattern.compile("/canaries/([^/?]+)");

  private final Dispatcher delegate;
  private final Map<Integer, Map<String, Set<String>>> byPhase = new ConcurrentHashMap<>();
  private volatile int phase;

  CanaryCallers(Dispatcher delegate) {
    this.delegate = delegate;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String auth = request.getHeader("Authorization");
    Matcher m = CANARY.matcher(request.getPath());
    if (auth != null && auth.startsWith("Bearer ") && m.find()) {
      byPhase
          .computeIfAbsent(phase, p -> new ConcurrentHashMap<>())
          .computeIfAbsent(m.group(1), k -> ConcurrentHashMap.newKeySet())
          .add(auth.substring("Bearer ".length()));
    }
    return delegate.dispatch(request);
  }

  /** From now on requests count for the next phase. */
  void nextPhase() {
    phase++;
  }

  /** The processes (tokens) that called about each Canary in {@code phase}, by Canary name. */
  Map<String, Set<String>> callers(int phase) {
    Map<String, Set<String>> out = new HashMap<>();
    byPhase.getOrDefault(phase, Map.of()).forEach((k, v) -> out.put(k, new TreeSet<>(v)));
    return out;
  }
}
