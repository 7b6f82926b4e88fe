package app.flagger.controller.router.contour;

import app.flagger.controller.router.RouterException;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.istio.StringMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The match conditions of the HTTPProxy routes Flagger generates (Flagger's {@code makePrefix} and
 * {@code makeConditions}): the path prefix of {@code service.match[0].uri.prefix} (else {@code /})
 * and, for A/B testing, one header condition per header of {@code analysis.match}. Pure.
 */
final class HttpProxyConditions {
  private HttpProxyConditions() {}

  /** The path prefix of every route: {@code service.match[0].uri.prefix}, else {@code /}. */
  static String prefix(Canary canary) {
    CanaryService service = canary.getSpec().service();
    List<HttpMatchRequest> match = service == null ? null : service.match();
    if (match != null && !match.isEmpty()) {
      StringMatch uri = match.get(0).uri();
      if (uri != null && uri.prefix() != null && !uri.prefix().isEmpty()) {
        return uri.prefix();
      }
    }
    return "/";
  }

  /** The conditions of a route that matches the prefix only. */
  static List<Object> prefixOnly(Canary canary) {
    return List.of(condition(prefix(canary), null));
  }

  /** Whether the analysis routes by request headers (A/B testing): {@code analysis.match} set. */
  static boolean abTest(Canary canary) {
    CanaryAnalysis analysis = canary.getSpec().analysisOrLegacy();
    return analysis != null && analysis.match() != null && !analysis.match().isEmpty();
  }

  /**
   * The conditions of the A/B route: one header condition per header of every {@code
   * analysis.match} entry, which Contour ANDs, as Flagger flattens them. Flagger's header forms:
   * {@code exact} as {@code exact}; {@code suffix}, and {@code prefix} over it, as {@code
   * contains}. The path prefix goes on the first condition only: Contour refuses a route with more
   * than one prefix condition (Flagger repeats it on each). A header without {@code exact}, {@code
   * prefix} or {@code suffix} (a {@code regex}), or no header at all, is refused: Flagger writes a
   * name-only condition, which Contour ignores, so the route would send every request to the
   * canary.
   */
  static List<Object> abConditions(Canary canary) {
    List<HttpMatchRequest> matches = canary.getSpec().analysisOrLegacy().match();
    List<Object> conditions = new ArrayList<>();
    for (int i = 0; i < matches.size(); i++) {
      Map<String, StringMatch> headers = matches.get(i).headers();
      if (headers == null) {
        continue;
      }
      for (Map.Entry<String, StringMatch> h : headers.entrySet()) {
        String field = "analysis.match[" + i + "].headers." + h.getKey();
        Map<String, Object> header = header(h.getKey(), h.getValue(), field);
        conditions.add(condition(conditions.isEmpty() ? prefix(canary) : null, header));
      }
    }
    if (conditions.isEmpty()) {
      throw new RouterException(
          "analysis.match: the contour provider routes A/B tests by request headers; expected"
              + " at least one header with exact, prefix or suffix");
    }
    return conditions;
  }

  private static Map<String, Object> header(String name, StringMatch match, String field) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("name", name);
    if (match != null && notEmpty(match.prefix())) {
      header.put("contains", match.prefix());
    } else if (match != null && notEmpty(match.suffix())) {
      header.put("contains", match.suffix());
    } else if (match != null && notEmpty(match.exact())) {
      header.put("exact", match.exact());
    } else {
      throw new RouterException(
          field
              + ": Contour matches headers by exact, prefix or suffix (as contains); got "
              + (match != null && notEmpty(match.regex()) ? "regex" : "no value"));
    }
    return header;
  }

  private static Map<String, Object> condition(String prefix, Map<String, Object> header) {
    Map<String, Object> condition = new LinkedHashMap<>();
    if (prefix != null) {
      condition.put("prefix", prefix);
    }
    if (header != null) {
      condition.put("header", header);
    }
    return condition;
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
