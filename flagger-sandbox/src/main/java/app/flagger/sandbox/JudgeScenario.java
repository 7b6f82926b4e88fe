package app.flagger.sandbox;

import java.util.Map;

/**
 * The judge's story ({@code make demo JUDGE=1} and the judge's end-to-end test): the podinfo Canary
 * example with a same-age baseline ({@code analysis.baseline: true}) and a latency metric compared
 * with the baseline's, next to the example's thresholds ({@code request-duration}, the P99, at most
 * 500 ms).
 *
 * <p>Every version answers after a fixed delay ({@code LATENCY_MS}): the primary, the baseline and
 * a healthy release 60 ms, the slower release 100 ms. The compared metric, {@code fast-responses},
 * is the percentage of podinfo's {@code /} requests answered within 100 ms (a MetricTemplate over
 * its own {@code http_request_duration_seconds}), with {@code direction: decrease}. Why not the P99
 * or the mean, measured in this sandbox on a loaded 2-core machine:
 *
 * <ul>
 *   <li>the builtin P99 is read from a histogram whose buckets end at 50, 100 and 250 ms: once more
 *       than 1 % of the baseline's requests are 40 ms late, its P99 lies in the (100, 250] bucket
 *       with the slower canary's, and the two differ by a few percent only;
 *   <li>the mean moves by the whole 40 ms, but with higher values bad the judge also runs its
 *       spread test, which on two smooth series (rates over a sliding window) fails an identical
 *       release now and then ({@code spread 2.0x the baseline's at a median change of +1.2%}).
 * </ul>
 *
 * The share of fast responses is about 99 % for the baseline and 0 % for the slower canary,
 * whatever the machine's load, and a lower value being bad, no spread test applies.
 *
 * <p>The baseline gets the canary's load test (a second rollout webhook), so both are judged on the
 * same traffic; the compared metric's window is 30 s, 31 values a side at one-second steps.
 */
public final class JudgeScenario {
  private JudgeScenario() {}

  /** podinfo's environment at install: the primary's and the baseline's latency floor. */
  public static final Map<String, String> STEADY = Map.of("LATENCY_MS", "60");

  /** The slower release: 40 ms more than the baseline, still far under the 500 ms threshold. */
  public static final Map<String, String> SLOWER = Map.of("LATENCY_MS", "100");

  /** The analysis of the judged Canary: ten-second steps, five failed checks roll back. */
  public static final Map<String, Object> ANALYSIS =
      Map.of("interval", "10s", "threshold", 5, "baseline", "true");

  /** The compared metric's window: the judge reads 31 values a side over it. */
  static final String WINDOW = "30s";

  /** The compared metric and its MetricTemplate. */
  public static final String METRIC = "fast-responses";

  private static final String DURATION =
      """
            - name: request-duration
              interval: 1m
              thresholdRange:
                max: 500
      """;

  /** Whether the judge's story runs on {@code provider}: only Istio and the Gateway API can. */
  public static boolean supports(SandboxProvider provider) {
    return switch (provider) {
      case ISTIO, GATEWAYAPI_V1, GATEWAYAPI_V1BETA1 -> true;
      case LINKERD, NGINX -> false;
    };
  }

  /**
   * Why {@code provider} cannot run the judge's story, for {@code --judge} with another provider.
   */
  public static String refusal(SandboxProvider provider) {
    return "--judge (JUDGE=1) needs a same-age baseline, which only the istio and gatewayapi"
        + " providers run; got provider "
        + provider.value();
  }

  /**
   * The Canary example of {@code namespace} (already rewritten for it) with {@code fast-responses}
   * compared with the baseline over a 30 s window and a load test of the baseline next to the
   * canary's, followed by the MetricTemplate {@code fast-responses} reading {@code prometheus}.
   *
   * @throws IllegalStateException when the example no longer has the blocks this edits
   */
  public static String canary(String example, String namespace, String prometheus) {
    String compared =
        DURATION
            + """
                  # the judge: the share of requests answered within 100 ms, against the baseline's
                  - name: %s
                    interval: %s
                    templateRef:
                      name: %1$s
                    # no threshold: judged against the baseline only
                    comparison:
                      direction: decrease
            """
                .formatted(METRIC, WINDOW);
    String loadTest =
        """
            webhooks:
              # the baseline gets the same load as the canary: both are judged on equal traffic
              - name: load-test-baseline
                type: rollout
                url: http://flagger-loadtester.%1$s/
                timeout: 5s
                metadata:
                  type: cmd
                  cmd: "hey -z 1m -q 10 -c 2 http://podinfo-baseline.%1$s:9898/"
        """
            .formatted(namespace);
    if (!example.contains(DURATION) || !example.contains("\n    webhooks:\n")) {
      throw new IllegalStateException(
          "the Canary example changed: cannot compare its latency with a baseline");
    }
    return example.replace(DURATION, compared).replace("\n    webhooks:\n", "\n" + loadTest)
        + "---\n"
        + template(namespace, prometheus);
  }

  /**
   * The MetricTemplate {@code fast-responses}: the percentage of podinfo's {@code /} requests
   * answered within 100 ms, from its own histogram, for the pods of {@code {{ target }}} (the
   * canary's; the baseline's when the judge renders it for the baseline).
   */
  static String template(String namespace, String prometheus) {
    String pods =
        "kubernetes_namespace=\"{{ namespace }}\","
            + "kubernetes_pod_name=~\"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\",path=\"/\"";
    return """
        apiVersion: flagger.app/v1beta1
        kind: MetricTemplate
        metadata:
          name: %s
          namespace: %s
        spec:
          provider:
            type: prometheus
            address: %s
          query: |
            sum(rate(http_request_duration_seconds_bucket{%4$s,le="0.1"}[{{ interval }}]))
            / sum(rate(http_request_duration_seconds_count{%4$s}[{{ interval }}])) * 100
        """
        .formatted(METRIC, namespace, prometheus, pods);
  }
}
