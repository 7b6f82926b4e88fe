package app.flagger.controller.router.gatewayapi;

import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.SET_COOKIE_HEADER;
import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.canaryName;
import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.hasSessionAffinity;
import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.isEmpty;
import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.map;
import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.primaryName;
import static app.flagger.controller.router.gatewayapi.HttpRouteBuilder.rule;
import static app.flagger.controller.router.gatewayapi.HttpRouteFilters.filter;
import static app.flagger.controller.router.gatewayapi.HttpRouteFilters.header;
import static app.flagger.controller.router.gatewayapi.HttpRouteMatches.cookieMatch;
import static app.flagger.controller.router.gatewayapi.HttpRouteMatches.merge;
import static app.flagger.controller.router.gatewayapi.HttpRouteMatches.serviceMatchesRaw;

import app.flagger.controller.router.Routes;
import app.flagger.controller.router.gatewayapi.HttpRouteBuilder.Version;
import app.flagger.controller.router.istio.SessionCookies;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.SessionAffinity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Session-affinity rules of SetRoutes (Flagger's {@code getSessionAffinityRouteRules}, spec §5.3):
 * the sticky rules placed before the weighted rule and the {@code Set-Cookie} filters on its
 * backends. Pure; the cookie values come from {@link SessionCookies}.
 */
final class HttpRouteSessionAffinity {
  private HttpRouteSessionAffinity() {}

  /**
   * The rules that go before {@code weighted}; adds the {@code Set-Cookie} backend filters to
   * {@code weighted} while the canary has traffic.
   */
  static List<Object> rules(
      Canary canary,
      Version version,
      Routes routes,
      SessionCookies cookies,
      Map<String, Object> weighted,
      List<Object> weightedFilters,
      List<Object> svcMatches) {
    List<Object> rules = new ArrayList<>();
    switch (cookies) {
      case SessionCookies.Active a -> {
        backendFilter(
            weighted,
            canaryName(canary),
            a.canaryCookie(),
            a.settings().maxAgeOrDefault(),
            a.settings());
        if (a.primaryCookie() != null) {
          backendFilter(
              weighted, primaryName(canary), a.primaryCookie(), a.intervalSeconds(), a.settings());
        }
        rules.add(sticky(canary, version, weightedFilters, a.canaryCookie(), 0, 100));
        if (a.primaryCookie() != null) {
          rules.add(sticky(canary, version, weightedFilters, a.primaryCookie(), 100, 0));
        }
      }
      case SessionCookies.Expire e -> {
        Map<String, Object> expire =
            rule(
                canary,
                version,
                merge(List.of(cookieMatch(e.previousCookie())), serviceMatchesRaw(canary)),
                new ArrayList<>(weightedFilters),
                routes.primaryWeight(),
                routes.canaryWeight());
        @SuppressWarnings("unchecked")
        List<Object> f = (List<Object>) expire.computeIfAbsent("filters", k -> new ArrayList<>());
        f.add(
            filter(
                "ResponseHeaderModifier",
                "responseHeaderModifier",
                map(
                    "add",
                    List.of(header(SET_COOKIE_HEADER, e.previousCookie() + "; Max-Age=-1")))));
        rules.add(expire);
      }
      case SessionCookies.None n -> {
        if (hasSessionAffinity(canary)) {
          // Flagger's SetRoutes at weight 0 without a previous cookie keeps a copy of the weighted
          // rule in the sticky slot.
          rules.add(
              rule(
                  canary,
                  version,
                  svcMatches,
                  new ArrayList<>(weightedFilters),
                  routes.primaryWeight(),
                  routes.canaryWeight()));
        }
      }
    }
    return rules;
  }

  /** A sticky rule: requests carrying {@code cookie} all go to one side. */
  private static Map<String, Object> sticky(
      Canary canary,
      Version version,
      List<Object> weightedFilters,
      String cookie,
      int primaryWeight,
      int canaryWeight) {
    return rule(
        canary,
        version,
        merge(List.of(cookieMatch(cookie)), serviceMatchesRaw(canary)),
        new ArrayList<>(weightedFilters),
        primaryWeight,
        canaryWeight);
  }

  @SuppressWarnings("unchecked")
  private static void backendFilter(
      Map<String, Object> rule, String backend, String cookie, long maxAge, SessionAffinity s) {
    for (Object o : (List<Object>) rule.get("backendRefs")) {
      Map<String, Object> ref = (Map<String, Object>) o;
      if (backend.equals(ref.get("name"))) {
        ref.put(
            "filters",
            List.of(
                filter(
                    "ResponseHeaderModifier",
                    "responseHeaderModifier",
                    map("add", List.of(header(SET_COOKIE_HEADER, setCookie(cookie, s, maxAge)))))));
      }
    }
  }

  /** Flagger's {@code SessionAffinity.BuildCookie}. */
  static String setCookie(String cookie, SessionAffinity s, long maxAge) {
    StringBuilder b = new StringBuilder(cookie).append("; Max-Age=").append(maxAge);
    if (!isEmpty(s.domain())) {
      b.append("; Domain=").append(s.domain());
    }
    if (Boolean.TRUE.equals(s.httpOnly())) {
      b.append("; HttpOnly");
    }
    if (Boolean.TRUE.equals(s.partitioned())) {
      b.append("; Partitioned");
    }
    if (!isEmpty(s.path())) {
      b.append("; Path=").append(s.path());
    }
    if (!isEmpty(s.sameSite())) {
      b.append("; SameSite=").append(s.sameSite());
    }
    if (Boolean.TRUE.equals(s.secure())) {
      b.append("; Secure");
    }
    return b.toString();
  }
}
