package app.flagger.loadtester.curl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GNU grep's selection, output and exit status on standard input. */
class GrepTest {
  private static final String PODINFO =
      "{\n  \"token\": \"eyJhbGciOi.x\",\n  \"expires_at\": \"2026-12-06T00:00:00Z\"\n}";

  private static Filter.Result grep(String input, String... args) {
    return Grep.parse(List.of(args)).apply(input.getBytes(StandardCharsets.UTF_8));
  }

  private static String out(Filter.Result r) {
    return new String(r.stdout(), StandardCharsets.UTF_8);
  }

  @Test
  void printsMatchingLinesAndExitsZero() {
    Filter.Result r = grep(PODINFO, "token");
    assertThat(r.exitCode()).isZero();
    assertThat(out(r)).isEqualTo("  \"token\": \"eyJhbGciOi.x\",\n");
  }

  @Test
  void noMatchIsExitOneWithoutOutput() {
    Filter.Result r = grep("{\n  \"status\": 500\n}", "token");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(grep("", "x").exitCode()).isEqualTo(1);
  }

  @Test
  void optionsAsGnuGrep() {
    assertThat(grep(PODINFO, "-q", "token")).satisfies(r -> assertThat(r.stdout()).isEmpty());
    assertThat(grep(PODINFO, "-q", "nope").exitCode()).isEqualTo(1);
    assertThat(out(grep("OK\nok\nKO\n", "-i", "ok"))).isEqualTo("OK\nok\n");
    assertThat(out(grep("a\nb\nc", "-v", "b"))).isEqualTo("a\nc\n");
    assertThat(grep("b\n", "-v", "b").exitCode()).isEqualTo(1);
    assertThat(out(grep("a1\nb2\nc3\n", "-c", "[ab]"))).isEqualTo("2\n");
    Filter.Result none = grep("x\n", "-c", "y");
    assertThat(out(none)).isEqualTo("0\n");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(out(grep(PODINFO, "-o", "eyJ[a-zA-Z.]*"))).isEqualTo("eyJhbGciOi.x\n");
    assertThat(out(grep("200\n2000\n", "-x", "200"))).isEqualTo("200\n");
    assertThat(out(grep("ok\nbook\nok!\n", "-w", "ok"))).isEqualTo("ok\nok!\n");
    assertThat(out(grep("a\nb\nc\n", "-n", "-e", "a", "-e", "c"))).isEqualTo("1:a\n3:c\n");
    assertThat(out(grep("a.c\nabc\n", "-F", "a.c"))).isEqualTo("a.c\n");
    assertThat(out(grep("a\nb\n", "-qv", "--", "a"))).isEmpty();
    assertThat(out(grep("x=1\n", "--regexp=x=1"))).isEqualTo("x=1\n");
    assertThat(out(grep("ab\ncd\n", "-e", "a\nc"))).isEqualTo("ab\ncd\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '!',
      value = {
        // syntax ! pattern ! input line ! matches
        "-G ! a|b ! a|b ! true",
        "-G ! a|b ! a ! false",
        "-G ! a\\|b ! b ! true",
        "-E ! a|b ! b ! true",
        "-G ! (ok) ! (ok) ! true",
        "-G ! \\(ok\\)\\1 ! okok ! true",
        "-E ! (ok)+$ ! okok ! true",
        "-G ! ok+ ! ok+ ! true",
        "-G ! ok\\+ ! okkk ! true",
        "-G ! a\\{2\\} ! aa ! true",
        "-E ! a{2} ! aa ! true",
        "-E ! ^a{,2}$ ! aa ! true",
        "-G ! *a ! *a ! true",
        "-G ! a^b$c ! a^b$c ! true",
        "-G ! ^\"status\": ! \"status\": 1 ! true",
        "-G ! [[:digit:]]\\{3\\} ! code 200 ! true",
        "-E ! [[:alpha:]]+ ! 123 ! false",
        "-G ! []a] ! ] ! true",
        "-G ! [^0-9] ! 123 ! false",
        "-G ! [\\] ! \\ ! true",
        "-G ! \\<ok\\> ! is ok. ! true",
        "-G ! \\<ok\\> ! book ! false",
        "-G ! \"status\": *\"OK\" ! \"status\":   \"OK\" ! true",
        "-P ! \\d{3} ! 200 ! true",
      })
  void posixPatternsMatchAsInGrep(String syntax, String pattern, String line, boolean matches) {
    assertThat(grep(line + "\n", syntax, pattern).exitCode()).isEqualTo(matches ? 0 : 1);
  }

  @Test
  void refusesWhatItDoesNotHave() {
    assertThatThrownBy(() -> Grep.parse(List.of("-r", "x")))
        .hasMessage("grep option -r is not supported (supported: " + Grep.SUPPORTED + ")");
    assertThatThrownBy(() -> Grep.parse(List.of("--include=*.go", "x")))
        .hasMessageStartingWith("grep option --include=*.go is not supported");
    assertThatThrownBy(() -> Grep.parse(List.of("token", "/etc/passwd")))
        .hasMessage(
            "grep with file arguments (/etc/passwd); the built-in grep reads only the output of"
                + " the command before it");
    assertThatThrownBy(() -> Grep.parse(List.of())).hasMessage("grep without a pattern");
    assertThatThrownBy(() -> Grep.parse(List.of("a\\d")))
        .hasMessage("grep pattern a\\d: \\d is not a POSIX escape (use a bracket expression)");
    assertThatThrownBy(() -> Grep.parse(List.of("[a"))).hasMessage("grep pattern [a: unmatched [");
    assertThatThrownBy(() -> Grep.parse(List.of("-E", "a(")))
        .hasMessageStartingWith("grep pattern a(: ");
  }
}
