package app.flagger.controller.router.istio;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryStatus;
import app.flagger.model.canary.SessionAffinity;
import java.util.random.RandomGenerator;

/**
 * Session-affinity cookie state for one traffic step (Flagger's {@code SetRoutes} cookie handling,
 * spec §5.3). {@link Active} while the canary receives traffic, {@link Expire} once it is back at
 * zero with a cookie from the run to delete, {@link None} otherwise.
 */
public sealed interface SessionCookies {
  /** Sticky canary cookie and, when configured, the sticky primary cookie ({@code null} if not). */
  record Active(
      String canaryCookie, String primaryCookie, SessionAffinity settings, long intervalSeconds)
      implements SessionCookies {}

  /** The previous run's canary cookie, to be deleted with {@code Max-Age=-1}. */
  record Expire(String previousCookie) implements SessionCookies {}

  /** No session affinity routes. */
  record None() implements SessionCookies {}

  /**
   * Decides the cookies for a step and records them in the Canary's in-memory status (the scheduler
   * persists them with its next status write). Cookie values are 10 letters from {@code random};
   * the primary cookie is generated once and reused, as Flagger does.
   */
  static SessionCookies next(Canary canary, int canaryWeight, RandomGenerator random) {
    var analysis = canary.getSpec().analysisOrLegacy();
    SessionAffinity affinity = analysis == null ? null : analysis.sessionAffinity();
    if (affinity == null) {
      return new None();
    }
    CanaryStatus s = canary.getStatus() == null ? empty() : canary.getStatus();
    if (canaryWeight != 0) {
      String cookie = s.sessionAffinityCookie();
      if (isEmpty(cookie)) {
        cookie = affinity.cookieName() + "=" + letters(random);
      }
      String primary = s.primarySessionAffinityCookie();
      if (!isEmpty(affinity.primaryCookieName()) && isEmpty(primary)) {
        primary = affinity.primaryCookieName() + "=" + letters(random);
      }
      canary.setStatus(with(s, cookie, primary, s.previousSessionAffinityCookie()));
      return new Active(
          cookie,
          isEmpty(affinity.primaryCookieName()) ? null : primary,
          affinity,
          analysis.intervalOrDefault().toSeconds());
    }
    String previous =
        isEmpty(s.sessionAffinityCookie())
            ? s.previousSessionAffinityCookie()
            : s.sessionAffinityCookie();
    canary.setStatus(with(s, "", s.primarySessionAffinityCookie(), previous));
    return isEmpty(previous) ? new None() : new Expire(previous);
  }

  private static String letters(RandomGenerator random) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    StringBuilder b = new StringBuilder(10);
    for (int i = 0; i < 10; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  private static CanaryStatus empty() {
    return new CanaryStatus(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  private static CanaryStatus with(CanaryStatus s, String cookie, String primary, String previous) {
    return new CanaryStatus(
        s.phase(),
        s.failedChecks(),
        s.canaryWeight(),
        s.iterations(),
        s.trackedConfigs(),
        s.lastAppliedSpec(),
        s.lastPromotedSpec(),
        s.lastTransitionTime(),
        cookie,
        primary,
        previous,
        s.conditions(),
        s.control(),
        s.decisions());
  }
}
