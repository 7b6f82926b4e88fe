package app.flagger.loadtester.curl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The jq subset: outputs as jq prints them, -e exit codes, errors and refusals. */
class JqTest {
  private static final String DOC =
      "{\"status\":\"ok\",\"code\":200,\"ratio\":0.5,\"ready\":true,\"gone\":null,"
          + "\"items\":[{\"name\":\"a\",\"up\":true},{\"name\":\"b\",\"up\":false}],"
          + "\"meta\":{\"x-y\":1,\"b\":[],\"a\":{}}}";

  private static Filter.Result jq(String input, String... args) {
    return Jq.parse(List.of(args)).apply(input.getBytes(StandardCharsets.UTF_8));
  }

  private static String out(String input, String... args) {
    Filter.Result r = jq(input, args);
    assertThat(r.stderr()).as("stderr").isEmpty();
    return new String(r.stdout(), StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      value = {
        // filter ~ compact output, one value per line, | for line breaks
        ".status ~ \"ok\"",
        ".items[0].name ~ \"a\"",
        ".items[-1].name ~ \"b\"",
        ".items[5] ~ null",
        ".meta.\"x-y\" ~ 1",
        ".meta[\"x-y\"] ~ 1",
        ".[\"code\"] ~ 200",
        ".gone.deeper ~ null",
        ".status == \"ok\" ~ true",
        ".status != \"ok\" ~ false",
        ".code == 200 ~ true",
        ".code == 200.0 ~ true",
        ".code >= 200 and .code < 300 ~ true",
        ".ready and .gone ~ false",
        ".gone or .ready ~ true",
        ".ratio < 1 ~ true",
        ".items | length ~ 2",
        ".status | length ~ 2",
        ".gone | length ~ 0",
        "(-5) | length ~ 5",
        ".meta | keys ~ [\"a\",\"b\",\"x-y\"]",
        ".items[] | .name ~ \"a\"|\"b\"",
        ".items[] | select(.up) | .name ~ \"a\"",
        ".items[] | select(.name == \"b\") | .up ~ false",
        "has(\"status\") ~ true",
        ".items | has(2) ~ false",
        ".ready | not ~ false",
        ".status | type ~ \"string\"",
        ".missing // \"default\" ~ \"default\"",
        ".status // \"default\" ~ \"ok\"",
        ".code.x? // 7 ~ 7",
        "(.code == 200) and (.status == \"ok\") ~ true",
        ".items[]?.name ~ \"a\"|\"b\"",
        "empty ~",
        "null ~ null",
        "\"a\\tb\" ~ \"a\\tb\"",
      })
  void evaluatesAsJq(String filter, String expected) {
    String want = expected == null ? "" : expected.replace("|", "\n") + "\n";
    assertThat(out(DOC, "-c", filter)).isEqualTo(want);
  }

  @Test
  void prettyPrintsLikeJq() {
    assertThat(out(DOC, ".meta")).isEqualTo("{\n  \"x-y\": 1,\n  \"b\": [],\n  \"a\": {}\n}\n");
    assertThat(out(DOC, "-S", ".items[0]")).isEqualTo("{\n  \"name\": \"a\",\n  \"up\": true\n}\n");
    assertThat(out("[1, [2, 3]]")).isEqualTo("[\n  1,\n  [\n    2,\n    3\n  ]\n]\n");
    assertThat(out("{\"s\":\"\\u0001\\\"\\\\\\u007f\\u00e9\"}", "-c", "."))
        .isEqualTo("{\"s\":\"\\u0001\\\"\\\\\\u007fé\"}\n");
    assertThat(out("[1.50, 1e3, 100000000000000000000, 1e-5, -0.25]", "-c", "."))
        .isEqualTo("[1.5,1000,1e+20,1e-05,-0.25]\n");
  }

  @Test
  void rawAndJoinedOutput() {
    assertThat(out("{\"token\":\"abc\"}", "-r", ".token")).isEqualTo("abc\n");
    assertThat(out("{\"token\":\"abc\"}", "--raw-output", ".token")).isEqualTo("abc\n");
    assertThat(out("{\"a\":\"x\",\"n\":1}", "-j", ".a")).isEqualTo("x");
    assertThat(out("{\"n\":[1]}", "-r", ".n")).isEqualTo("[\n  1\n]\n");
    assertThat(out("", "-n", "1 == 1")).isEqualTo("true\n");
  }

  @Test
  void exitStatusWithE() {
    assertThat(jq(DOC, "-e", ".status == \"ok\"").exitCode()).isZero();
    assertThat(jq(DOC, "-e", ".status == \"down\"").exitCode()).isEqualTo(1);
    assertThat(jq(DOC, "-e", ".missing").exitCode()).isEqualTo(1);
    assertThat(jq(DOC, "-e", "empty").exitCode()).isEqualTo(4);
    assertThat(jq(DOC, "-e", ".code").exitCode()).isZero();
    assertThat(jq(DOC, "-er", ".status").exitCode()).isZero();
    assertThat(jq(DOC, ".status == \"down\"").exitCode()).isZero();
    assertThat(jq("", "-e", ".").exitCode()).isEqualTo(4);
  }

  @Test
  void runtimeErrorsAreExit5WithJqsMessage() {
    Filter.Result r = jq("{\"a\":[1]}\n", ".a.b");
    assertThat(r.exitCode()).isEqualTo(5);
    assertThat(r.stderr()).isEqualTo("jq: error (at <stdin>:1): Cannot index array with \"b\"\n");
    assertThat(jq("{\"a\":1}", ".[0]").stderr())
        .isEqualTo("jq: error (at <stdin>:0): Cannot index object with number\n");
    assertThat(jq("null", ".[]").stderr())
        .isEqualTo("jq: error (at <stdin>:0): Cannot iterate over null\n");
    assertThat(jq("true", "length").stderr())
        .isEqualTo("jq: error (at <stdin>:0): boolean (true) has no length\n");
    Filter.Result partial = jq("[1,\"x\"]", "-c", ".[] | keys");
    assertThat(partial.exitCode()).isEqualTo(5);
    assertThat(partial.stderr()).contains("number (1) has no keys");
  }

  @Test
  void inputThatIsNotJsonIsExit2() {
    Filter.Result r = jq("<html>502 Bad Gateway</html>", ".status");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("jq: error (at <stdin>:0): Cannot parse input: ");
    assertThat(jq("{\"a\":1} trailing", ".a").exitCode()).isEqualTo(2);
  }

  @Test
  void aStreamOfValuesIsFilteredValueByValue() {
    assertThat(out("{\"a\":1}\n{\"a\":2}\n", "-c", ".a")).isEqualTo("1\n2\n");
    assertThat(out("1 2 \"x\"", "-c", ".")).isEqualTo("1\n2\n\"x\"\n");
  }

  @Test
  void refusesWhatItDoesNotHave() {
    assertThatThrownBy(() -> Jq.parse(List.of("--arg", "x", "1", ".")))
        .hasMessage("jq option --arg is not supported (supported: " + Jq.SUPPORTED + ")");
    assertThatThrownBy(() -> Jq.parse(List.of(".a", "file.json")))
        .hasMessage(
            "jq with file arguments (file.json); the built-in jq reads only the output of the"
                + " command before it");
    assertThatThrownBy(() -> Jq.parse(List.of(".a + 1")))
        .hasMessage(
            "jq arithmetic (+) in .a + 1 (the built-in jq has: " + JqFilter.SUPPORTED + ")");
    assertThatThrownBy(() -> Jq.parse(List.of("map(.a)")))
        .hasMessageStartingWith("jq map in map(.a) (the built-in jq has: ");
    assertThatThrownBy(() -> Jq.parse(List.of("{a: .b}")))
        .hasMessageStartingWith("jq object construction { } in {a: .b}");
    assertThatThrownBy(() -> Jq.parse(List.of(".a, .b")))
        .hasMessage("the jq operator , (several outputs) in .a, .b");
    assertThatThrownBy(() -> Jq.parse(List.of(".[$i]")))
        .hasMessageStartingWith("jq variables ($name) in .[$i]");
    assertThatThrownBy(() -> Jq.parse(List.of("\"\\(.a)\"")))
        .hasMessageStartingWith("jq string interpolation \\(...)");
    assertThatThrownBy(() -> Jq.parse(List.of(".a ==")))
        .hasMessageStartingWith("jq filter .a == ends too early");
    assertThatThrownBy(() -> Jq.parse(List.of(".[1:2]"))).hasMessage("jq slices .[a:b] in .[1:2]");
    assertThatThrownBy(() -> Jq.parse(List.of("..")))
        .hasMessageStartingWith("jq recursive descent .. in ..");
  }
}
