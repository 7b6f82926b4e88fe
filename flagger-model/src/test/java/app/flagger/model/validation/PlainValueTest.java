package app.flagger.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainValueTest {
  /** What users put in templateVariables (Flagger's docs and issues) and Kubernetes names. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "inbound",
        "destination",
        "podinfo",
        "my-cluster",
        "my_consumer_group",
        "99",
        "0.99",
        "-1",
        "5m",
        "1h30m",
        "env:prod",
        "/api/v1",
        "5..",
        "podinfo.test.svc.cluster.local",
        "job:http_requests:rate5m",
        "MixedCase",
        ""
      })
  void admitsNamesLabelValuesNumbersDurationsTagsAndPaths(String value) {
    assertThat(PlainValue.isPlain(value)).isTrue();
    assertThat(PlainValue.problem(value)).isEmpty();
  }

  /** Anything that could end a quoted string or start another expression in a query. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "x\"} or vector(100) #",
        "x'",
        "x`",
        "x\\",
        "a b",
        "a\tb",
        "a\nb",
        "x}",
        "x{",
        "x)",
        "x(",
        "x]",
        "x,y",
        "a|b",
        "5.*",
        "x#",
        "a=b",
        "a!~b",
        "a>b",
        "a;b",
        "café",
        "a\u0000b"
      })
  void refusesQuotesWhitespaceBracketsOperatorsAndNonAscii(String value) {
    assertThat(PlainValue.isPlain(value)).isFalse();
    assertThat(PlainValue.problem(value)).isPresent();
  }

  @Test
  void nullIsNothingToCheck() {
    assertThat(PlainValue.problem(null)).isEmpty();
  }

  @Test
  void theMessageQuotesTheValueAndSaysWhatIsExpected() {
    assertThat(PlainValue.problem("x\"} or vector(100) #"))
        .hasValue(
            "'x\"} or vector(100) #' is not a plain label value: expected letters, digits and"
                + " . _ - / : only");
  }

  @Test
  void theMessageEscapesControlCharactersAndCutsLongValues() {
    assertThat(PlainValue.shown("a\nb\u0001")).isEqualTo("'a\\nb\\u0001'");
    String ninety = "x".repeat(89) + " ";
    assertThat(PlainValue.shown(ninety)).isEqualTo("'" + "x".repeat(80) + "...' (90 characters)");
  }
}
