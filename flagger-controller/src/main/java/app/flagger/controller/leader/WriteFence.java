package app.flagger.controller.leader;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Refuses the controller's writes (POST, PUT, PATCH, DELETE) while this replica is not the leader,
 * so a tick that was in flight when the Lease was lost writes nothing more: the write fails at once
 * with {@link NotLeaderException}, which the tick handles as a failed step. Reads, watches and the
 * Lease itself ({@code coordination.k8s.io}) pass, so a fenced client can still compete for the
 * Lease. Kubernetes Events are writes and are fenced too.
 *
 * <p>fabric8 calls {@link #before} on the caller's thread for a request's first attempt, but on its
 * own scheduler for a retry (after a 5xx, 429 or connection failure), where an exception is lost
 * and the caller would wait forever. A retry of a write first sent while leading therefore passes;
 * the request object is the same for every attempt, so sent writes are remembered in a weak set.
 */
public final class WriteFence implements Interceptor {
  public static final String NAME = "flagger-write-fence";
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final String LEASES = "/apis/coordination.k8s.io/";

  private final Leadership leadership;
  private final Set<HttpRequest> sent =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  public WriteFence(Leadership leadership) {
    this.leadership = leadership;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String path = request.uri().getPath();
    if (!WRITES.contains(request.method()) || path.startsWith(LEASES)) {
      return;
    }
    if (leadership.leading()) {
      sent.add(request);
    } else if (!sent.contains(request)) {
      throw new NotLeaderException(request.method(), path);
    }
  }
}
