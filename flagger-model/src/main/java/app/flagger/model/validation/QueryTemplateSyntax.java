package app.flagger.model.validation;

import java.util.Optional;

/** A cheap structural check of a Go-template query: every {@code {{} closes. */
final class QueryTemplateSyntax {
  private QueryTemplateSyntax() {}

  static Optional<String> check(String query) {
    int from = 0;
    while (true) {
      int open = query.indexOf("{{", from);
      int close = query.indexOf("}}", from);
      if (open < 0) {
        return close < 0
            ? Optional.empty()
            : Optional.of("'}}' at offset " + close + " has no matching '{{'");
      }
      if (close >= 0 && close < open) {
        return Optional.of("'}}' at offset " + close + " has no matching '{{'");
      }
      int end = query.indexOf("}}", open + 2);
      if (end < 0) {
        return Optional.of("'{{' at offset " + open + " is not closed with '}}'");
      }
      if (query.substring(open + 2, end).isBlank()) {
        return Optional.of("empty action '{{}}' at offset " + open);
      }
      from = end + 2;
    }
  }
}
