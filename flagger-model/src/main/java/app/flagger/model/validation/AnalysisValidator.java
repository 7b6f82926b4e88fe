package app.flagger.model.validation;

import app.flagger.model.canary.AnalysisJudge;
import app.flagger.model.canary.CanaryAlert;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.canary.ComparisonDirection;
import app.flagger.model.canary.ComparisonKind;
import app.flagger.model.canary.MetricComparison;
import app.flagger.model.canary.SessionAffinity;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.canary.WebhookType;
import app.flagger.model.common.GoDuration;
import app.flagger.model.common.StringEnum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The checks of {@code spec.analysis}, used by {@link CanaryValidator}. */
final class AnalysisValidator {
  private static final List<String> WEBHOOK_TYPES = StringEnum.values(WebhookType.class);
  private static final List<String> SEVERITIES = List.of("info", "warn", "error");
  private static final List<String> SAME_SITE = List.of("Strict", "Lax", "None");
  private static final List<String> DIRECTIONS = StringEnum.values(ComparisonDirection.class);
  private static final List<String> KINDS = StringEnum.values(ComparisonKind.class);

  /** A hook holds up its Canary's tick while it runs: one attempt may take at most this long. */
  static final Duration MAX_WEBHOOK_TIMEOUT = Duration.ofMinutes(5);

  /**
   * Pre- and post-rollout hooks run once per release and may run a whole test suite (Flagger's load
   * tester allows long ones, fluxcd/flagger#527, #536): one attempt may take up to an hour.
   */
  static final Duration MAX_ROLLOUT_HOOK_TIMEOUT = Duration.ofHours(1);

  /** The canary's highest weight with a same-age baseline, which takes as much again. */
  static final int MAX_BASELINE_WEIGHT = 50;

  /** At most this many extra attempts per hook call. */
  static final int MAX_WEBHOOK_RETRIES = 10;

  void validate(Problems p, String path, CanaryAnalysis a) {
    if (p.required(path + ".interval", a.interval())) {
      p.duration(path + ".interval", a.interval());
    }
    if (p.required(path + ".threshold", a.threshold())) {
      p.atLeast(path + ".threshold", a.threshold(), 0);
    }
    strategy(p, path, a);
    p.range(path + ".maxWeight", a.maxWeight(), 1, 100);
    p.range(path + ".stepWeightPromotion", a.stepWeightPromotion(), 0, 100);
    p.range(path + ".primaryReadyThreshold", a.primaryReadyThreshold(), 0, 100);
    p.range(path + ".canaryReadyThreshold", a.canaryReadyThreshold(), 0, 100);
    p.range(path + ".mirrorWeight", a.mirrorWeight(), 0, 100);
    if (a.mirrorWeight() != null && !a.mirrored()) {
      p.add(path + ".mirrorWeight", "only applies with mirror: true");
    }
    if (a.stepWeight() != null && a.maxWeight() != null && a.stepWeight() > a.maxWeight()) {
      p.add(
          path + ".stepWeight",
          "must not exceed maxWeight " + a.maxWeight() + ", got " + a.stepWeight());
    }
    for (int i = 0; i < a.metricsOrEmpty().size(); i++) {
      metric(p, path + ".metrics[" + i + "]", a.metricsOrEmpty().get(i));
    }
    for (int i = 0; i < a.webhooksOrEmpty().size(); i++) {
      webhook(p, path + ".webhooks[" + i + "]", a.webhooksOrEmpty().get(i));
    }
    for (int i = 0; i < a.alertsOrEmpty().size(); i++) {
      alert(p, path + ".alerts[" + i + "]", a.alertsOrEmpty().get(i));
    }
    sessionAffinity(p, path + ".sessionAffinity", a.sessionAffinity());
    judge(p, path, a);
    baseline(p, path, a);
  }

  /**
   * A same-age baseline takes as much traffic as the canary from the primary's share: the canary's
   * weights stay at or under 50, and strategies that route by request (A/B) or copy traffic
   * (mirroring) or switch all at once (blue/green) have no share to give it.
   */
  private static void baseline(Problems p, String path, CanaryAnalysis a) {
    if (!a.usesBaseline()) {
      return;
    }
    String why =
        " with baseline: true (the baseline takes as much traffic as the canary from the"
            + " primary's share)";
    if (!a.matchOrEmpty().isEmpty()) {
      p.add(
          path + ".baseline",
          "not supported with A/B testing (analysis.match): the baseline takes its traffic by"
              + " weight, remove match or baseline");
    }
    if (a.mirrored()) {
      p.add(
          path + ".baseline",
          "not supported with mirror: true: the baseline takes its traffic by weight, remove"
              + " mirror or baseline");
    }
    if (a.iterationsOrZero() > 0 && a.matchOrEmpty().isEmpty()) {
      p.add(
          path + ".baseline",
          "not supported with blue/green (iterations): the baseline takes its traffic by weight,"
              + " use stepWeight or stepWeights");
    }
    if (a.usesStepWeights()) {
      for (int i = 0; i < a.stepWeightsOrEmpty().size(); i++) {
        Integer w = a.stepWeightsOrEmpty().get(i);
        if (w != null && w > MAX_BASELINE_WEIGHT) {
          p.add(
              path + ".stepWeights[" + i + "]",
              "must be at most " + MAX_BASELINE_WEIGHT + why + ", got " + w);
        }
      }
    } else if (a.iterationsOrZero() == 0 && a.maxWeightOrDefault() > MAX_BASELINE_WEIGHT) {
      p.add(
          path + ".maxWeight",
          "must be at most "
              + MAX_BASELINE_WEIGHT
              + why
              + ", got "
              + (a.maxWeight() == null ? "none (100 by default)" : a.maxWeight()));
    }
  }

  private static void judge(Problems p, String path, CanaryAnalysis a) {
    AnalysisJudge j = a.judge();
    if (j != null) {
      p.range(path + ".judge.pass", j.pass(), 0, 100);
      p.range(path + ".judge.marginal", j.marginal(), 0, 100);
      if (j.marginalOrDefault() > j.passOrDefault()) {
        p.add(
            path + ".judge.marginal",
            "must not exceed pass " + j.passOrDefault() + ", got " + j.marginalOrDefault());
      }
    }
    if ((j != null || a.usesBaseline()) && !a.judged()) {
      p.add(
          path + (j != null ? ".judge" : ".baseline"),
          "only applies with a metric that sets comparison");
    }
  }

  private static void comparison(Problems p, String path, String metric, MetricComparison c) {
    if (c.direction() != null && !c.direction().isEmpty()) {
      p.oneOf(path + ".direction", c.direction(), DIRECTIONS, "direction");
    }
    if (c.kind() != null && !c.kind().isEmpty()) {
      p.oneOf(path + ".kind", c.kind(), KINDS, "comparison kind");
    }
    Double t = c.tolerance();
    if (t != null && !(t > 0 && t <= 1)) {
      p.add(path + ".tolerance", "must be above 0 and at most 1, got " + t);
    }
    Double w = c.weight();
    if (w != null && !(w > 0 && Double.isFinite(w))) {
      p.add(path + ".weight", "must be above 0, got " + w);
    }
    if (CanaryMetric.REQUEST_SUCCESS_RATE.equals(metric)
        && ComparisonDirection.INCREASE.value().equals(c.direction())) {
      p.add(path + ".direction", "a higher success rate is never worse: use decrease");
    }
  }

  private static void strategy(Problems p, String path, CanaryAnalysis a) {
    List<String> set = new ArrayList<>();
    if (a.iterations() != null) {
      set.add("iterations");
    }
    if (a.stepWeight() != null) {
      set.add("stepWeight");
    }
    if (a.stepWeights() != null) {
      set.add("stepWeights");
    }
    if (set.size() != 1) {
      p.add(
          path,
          "set one of iterations, stepWeight or stepWeights"
              + (set.isEmpty() ? "" : ", got " + String.join(" and ", set)));
    }
    p.atLeast(path + ".iterations", a.iterations(), 1);
    p.range(path + ".stepWeight", a.stepWeight(), 1, 100);
    List<Integer> steps = a.stepWeightsOrEmpty();
    if (a.stepWeights() != null && steps.isEmpty()) {
      p.add(path + ".stepWeights", "must list at least one weight");
    }
    for (int i = 0; i < steps.size(); i++) {
      String at = path + ".stepWeights[" + i + "]";
      Integer w = steps.get(i);
      if (w == null) {
        p.add(at, "required");
      } else {
        p.range(at, w, 1, 100);
        if (i > 0 && steps.get(i - 1) != null && w <= steps.get(i - 1)) {
          p.add(at, "must be greater than the previous weight " + steps.get(i - 1) + ", got " + w);
        }
      }
    }
    if (!a.matchOrEmpty().isEmpty() && a.iterations() == null) {
      p.add(path + ".match", "A/B testing needs iterations");
    }
  }

  private static void metric(Problems p, String path, CanaryMetric m) {
    p.required(path + ".name", m.name());
    if (p.duration(path + ".interval", m.interval())) {
      p.plain(path + ".interval", m.interval());
    }
    new TreeMap<>(m.variablesOrEmpty())
        .forEach((key, value) -> p.plain(path + ".templateVariables." + key, value));
    boolean builtin =
        CanaryMetric.REQUEST_SUCCESS_RATE.equals(m.name())
            || CanaryMetric.REQUEST_DURATION.equals(m.name());
    if (m.templateRef() != null) {
      p.required(path + ".templateRef.name", m.templateRef().name());
    } else if (!builtin && (m.query() == null || m.query().isBlank()) && m.name() != null) {
      p.add(
          path,
          "metric '"
              + m.name()
              + "' is not a builtin (request-success-rate, request-duration): set templateRef or query");
    }
    if (m.query() != null) {
      QueryTemplateSyntax.check(m.query()).ifPresent(problem -> p.add(path + ".query", problem));
    }
    ThresholdRange r = m.thresholdRange();
    if (r != null && r.min() != null && r.max() != null && r.min() > r.max()) {
      p.add(path + ".thresholdRange", "min " + r.min() + " is above max " + r.max());
    }
    if (r != null && r.min() == null && r.max() == null) {
      p.add(path + ".thresholdRange", "set min, max or both");
    }
    if (m.comparison() != null) {
      comparison(p, path + ".comparison", m.name(), m.comparison());
      proportion(p, path + ".comparison", m);
    }
  }

  /**
   * Where a {@code kind: proportion} metric gets its two counts: the builtin success rate from the
   * mesh's request counters, a template metric from its template (the events) and {@code
   * totalTemplateRef} (all events).
   */
  private static void proportion(Problems p, String path, CanaryMetric m) {
    MetricComparison c = m.comparison();
    boolean proportion = ComparisonKind.PROPORTION.value().equals(c.kind());
    if (!proportion) {
      if (c.totalTemplateRef() != null) {
        p.add(path + ".totalTemplateRef", "only applies with kind proportion");
      }
      return;
    }
    if (m.templateRef() != null) {
      if (c.totalTemplateRef() == null) {
        p.add(
            path + ".totalTemplateRef",
            "required with kind proportion: a MetricTemplate counting all events over the"
                + " interval (the metric's template counts the events judged)");
      } else {
        p.required(path + ".totalTemplateRef.name", c.totalTemplateRef().name());
      }
      return;
    }
    if (c.totalTemplateRef() != null) {
      p.add(path + ".totalTemplateRef", "only applies to a metric with templateRef");
    }
    if (!CanaryMetric.REQUEST_SUCCESS_RATE.equals(m.name())) {
      p.add(
          path + ".kind",
          "proportion needs event counts: use it with request-success-rate or with a templateRef"
              + " and totalTemplateRef, not with "
              + (CanaryMetric.REQUEST_DURATION.equals(m.name())
                  ? "request-duration"
                  : "an inline query"));
    }
  }

  private static void webhook(Problems p, String path, CanaryWebhook w) {
    p.required(path + ".name", w.name());
    if (p.required(path + ".url", w.url())) {
      p.httpUrl(path + ".url", w.url());
    }
    if (w.type() != null && !w.type().isEmpty()) {
      p.oneOf(path + ".type", w.type(), WEBHOOK_TYPES, "webhook type");
    }
    if (p.duration(path + ".timeout", w.timeout())) {
      boolean once = "pre-rollout".equals(w.type()) || "post-rollout".equals(w.type());
      Duration max = once ? MAX_ROLLOUT_HOOK_TIMEOUT : MAX_WEBHOOK_TIMEOUT;
      String maxText = once ? "60m for pre-rollout and post-rollout hooks" : "5m";
      GoDuration.parse(w.timeout())
          .filter(t -> t.compareTo(max) > 0)
          .ifPresent(
              t -> p.add(path + ".timeout", "must be at most " + maxText + ", got " + w.timeout()));
    }
    p.range(path + ".retries", w.retries(), 0, MAX_WEBHOOK_RETRIES);
  }

  private static void alert(Problems p, String path, CanaryAlert a) {
    p.required(path + ".name", a.name());
    if (a.severity() != null && !a.severity().isEmpty()) {
      p.oneOf(path + ".severity", a.severity(), SEVERITIES, "severity");
    }
    if (p.required(path + ".providerRef", a.providerRef())) {
      p.required(path + ".providerRef.name", a.providerRef().name());
    }
  }

  private static void sessionAffinity(Problems p, String path, SessionAffinity s) {
    if (s == null) {
      return;
    }
    p.required(path + ".cookieName", s.cookieName());
    if (s.primaryCookieName() != null
        && !s.primaryCookieName().isEmpty()
        && s.primaryCookieName().equals(s.cookieName())) {
      p.add(path + ".primaryCookieName", "must differ from cookieName");
    }
    p.oneOf(path + ".sameSite", s.sameSite(), SAME_SITE, "SameSite value");
    p.atLeast(path + ".maxAge", s.maxAge(), 0);
  }
}
