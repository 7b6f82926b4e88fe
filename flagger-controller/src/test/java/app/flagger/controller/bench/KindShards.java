package app.flagger.controller.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark API server's storage split by kind: one fabric8 CRUD dispatcher per busy kind
 * (Canaries, Deployments, Services, VirtualServices, DestinationRules) and one for everything else.
 * A single CRUD dispatcher takes one lock for every write and scans every stored object on each
 * request, so at 1,000 analysing Canaries (nine objects each, two writes per tick) it answered
 * writes one at a time after seconds: the run measured the mock's lock, not the controller. A real
 * API server keeps each object under its own etcd key. Every request for a kind (reads, writes and
 * watches) goes to that kind's store, so watches see exactly the writes of their kind; a
 * CustomResourceDefinition is stored in every store, since each needs the definitions of the custom
 * kinds it serves. resourceVersions count per kind, which nothing compares across kinds.
 */
final class KindShards extends Dispatcher {
  private static final List<String> OWN_STORE =
      List.of("canaries", "deployments", "services", "virtualservices", "destinationrules");
  private static final String DEFINITIONS = "customresourcedefinitions";

  private final Map<String, Dispatcher> stores = new LinkedHashMap<>();
  private final Dispatcher rest = new KubernetesCrudDispatcher();

  KindShards() {
    OWN_STORE.forEach(kind -> stores.put(kind, new KubernetesCrudDispatcher()));
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String kind = plural(request.getPath());
    if (kind.equals(DEFINITIONS)) {
      // a store reads the body by draining it: each gets a copy
      byte[] body = request.getBody().getBytes();
      stores.values().forEach(store -> store.dispatch(copy(request, body)));
      return rest.dispatch(copy(request, body));
    }
    return stores.getOrDefault(kind, rest).dispatch(request);
  }

  private static RecordedRequest copy(RecordedRequest r, byte[] body) {
    return new RecordedRequest(
        r.getHttpVersion(), r.method(), r.getPath(), r.getHeaders(), new Buffer(body));
  }

  /**
   * The resource of a request path: {@code /api/v1/namespaces/bench/services/x} → {@code services},
   * {@code /apis/flagger.app/v1beta1/canaries?watch=true} → {@code canaries}, {@code
   * /api/v1/namespaces/bench} → {@code namespaces}; empty for discovery ({@code /api}, {@code
   * /apis/g/v}).
   */
  static String plural(String path) {
    int q = path.indexOf('?');
    String[] s = (q < 0 ? path : path.substring(0, q)).split("/");
    if (s.length < 2) {
      return "";
    }
    int i = s[1].equals("api") ? 3 : 4;
    if (s.length <= i) {
      return "";
    }
    if (s[i].equals("namespaces") && s.length > i + 2) {
      return s[i + 2];
    }
    return s[i];
  }
}
