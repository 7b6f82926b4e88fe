package app.flagger.controller.tick;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order of the Canaries waiting for a release slot under the concurrency limit, first come
 * first served: by the time each started waiting ({@code status.control.queuedSince}), ties by
 * namespace and name. Pure: it is given what runs and who waits, and says whether one Canary may
 * start or its place in line.
 *
 * <p>The waiters are taken in order; each that fits under both limits counts as running (it takes
 * the slot at its next tick), so a Canary never overtakes one that waits longer, while a Canary
 * held back only by its own namespace's limit does not hold up other namespaces.
 *
 * @param limit Canaries running at once in the cluster; 0: no limit
 * @param perNamespace Canaries running at once in one namespace; 0: no limit
 */
public record ReleaseQueue(int limit, int perNamespace) {

  /** A Canary in line: {@code since} is when it started waiting (now, for one not waiting yet). */
  public record Waiter(String namespace, String name, Instant since) {
    String key() {
      return namespace + "/" + name;
    }
  }

  /** What the queue says about a Canary. */
  public sealed interface Verdict {}

  /** It may start now. */
  public record Admit() implements Verdict {}

  /**
   * It waits.
   *
   * @param place its place in line, from 1
   * @param running the releases the full limit counts
   * @param of that limit
   * @param namespace the namespace whose limit holds it back; null for the cluster-wide one
   */
  public record Wait(int place, int running, int of, String namespace) implements Verdict {
    /** {@code Waiting for a release slot: 2nd in line, 2 of 2 running cluster-wide}. */
    public String message() {
      return "Waiting for a release slot: "
          + ordinal(place)
          + " in line, "
          + running
          + " of "
          + of
          + " running "
          + (namespace == null ? "cluster-wide" : "in namespace " + namespace);
    }
  }

  /** Whether any limit is set. */
  public boolean limited() {
    return limit > 0 || perNamespace > 0;
  }

  /** The order of the queue. */
  public static final Comparator<Waiter> ORDER =
      Comparator.comparing(Waiter::since)
          .thenComparing(Waiter::namespace)
          .thenComparing(Waiter::name);

  /**
   * Judges {@code self}.
   *
   * @param running the namespaces of the releases running now, one entry per release (self
   *     excluded)
   * @param waiting the other Canaries waiting (self excluded)
   */
  public Verdict judge(Waiter self, List<String> running, List<Waiter> waiting) {
    Map<String, Integer> perNs = new HashMap<>();
    running.forEach(ns -> perNs.merge(ns, 1, Integer::sum));
    int total = running.size();
    List<Waiter> line = new ArrayList<>(waiting);
    line.removeIf(w -> w.key().equals(self.key()));
    line.add(self);
    line.sort(ORDER);
    int blocked = 0;
    for (Waiter w : line) {
      int inNs = perNs.getOrDefault(w.namespace(), 0);
      boolean clusterFull = limit > 0 && total >= limit;
      boolean nsFull = perNamespace > 0 && inNs >= perNamespace;
      if (w == self) {
        if (!clusterFull && !nsFull) {
          return new Admit();
        }
        return clusterFull
            ? new Wait(blocked + 1, total, limit, null)
            : new Wait(blocked + 1, inNs, perNamespace, self.namespace());
      }
      if (clusterFull || nsFull) {
        blocked++;
      } else {
        total++;
        perNs.merge(w.namespace(), 1, Integer::sum);
      }
    }
    throw new IllegalStateException("unreachable: self is in the line");
  }

  /** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st. */
  static String ordinal(int n) {
    int mod100 = n % 100;
    String suffix;
    if (mod100 >= 11 && mod100 <= 13) {
      suffix = "th";
    } else {
      suffix =
          switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
          };
    }
    return n + suffix;
  }
}
