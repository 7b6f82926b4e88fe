package app.flagger.loadtester.curl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Command lines without a shell: words, pipes, curl's options, and what is refused and why. */
class NativePipelineParseTest {
  @Test
  void splitsPipesOutsideQuotesOnly() {
    assertThat(ShellLine.pipeline("curl -sd 'test' http://podinfo-canary/token | grep token"))
        .containsExactly(
            List.of("curl", "-sd", "test", "http://podinfo-canary/token"),
            List.of("grep", "token"));
    assertThat(ShellLine.pipeline("curl -s x|jq -e '.a | length > 0'|grep -E \"a|b\""))
        .containsExactly(
            List.of("curl", "-s", "x"),
            List.of("jq", "-e", ".a | length > 0"),
            List.of("grep", "-E", "a|b"));
    assertThat(ShellLine.pipeline("curl -s \\\n  -H 'a: b' x"))
        .containsExactly(List.of("curl", "-s", "-H", "a: b", "x"));
    assertThat(ShellLine.pipeline("curl -d \"say \\\"hi\\\" \\\\ \" -d '' x"))
        .containsExactly(List.of("curl", "-d", "say \"hi\" \\ ", "-d", "", "x"));
    assertThat(ShellLine.pipeline("curl -d x\\ #y \\| http://x/"))
        .containsExactly(List.of("curl", "-d", "x #y", "|", "http://x/"));
    assertThat(ShellLine.pipeline("curl -d 'a\nb' http://x/a#frag?q=~"))
        .containsExactly(List.of("curl", "-d", "a\nb", "http://x/a#frag?q=~"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '!',
      value = {
        "curl -s x && echo ok ! the shell operators & and && (background jobs, command lists)",
        "curl -s x & ! the shell operators & and && (background jobs, command lists)",
        "curl -s x || true ! the shell operator || (run a command when one fails)",
        "curl -s x; echo ! the shell operator ; (several commands)",
        "curl -s x > out ! the redirection > (only curl's own -o /dev/null is supported)",
        "curl -s x 2>&1 | grep ok ! the redirection > (only curl's own -o /dev/null is supported)",
        "curl -s x < in ! the redirection < (only curl's own -o /dev/null is supported)",
        "curl -s $URL ! $ (variables and command substitution)",
        "curl -s \"$(cat url)\" ! $ (variables and command substitution)",
        "curl -s `cat url` ! ` (command substitution)",
        "(curl -s x) ! subshells ( )",
        "curl -s x # note ! comments (#)",
        "curl -s ~/x ! home directory expansion (~)",
        "curl -s http://x/{a,b} ! brace expansion { } (quote the braces)",
        "curl -s x |& grep ok ! the shell operator |& (pipe standard error)",
        "curl -s x | ! a pipe | without a command after it",
        "| grep ok ! a pipe | without a command before it",
        "curl -s 'x ! unterminated ' quote",
      })
  void refusesShellSyntaxByName(String line, String message) {
    assertThatThrownBy(() -> NativePipeline.parse(line))
        .isInstanceOf(UnsupportedCommand.class)
        .hasMessage(message);
  }

  @Test
  void refusesNewlinesBetweenCommands() {
    assertThatThrownBy(() -> NativePipeline.parse("curl -s x\ncurl -s y"))
        .hasMessage("several lines (each line is a command)");
  }

  @Test
  void curlOptionsKeepTheirMeaning() {
    CurlCommand c =
        NativePipeline.parse(
                "curl -sSfL -XPOST -m5 --connect-timeout 0.5 --max-redirs 3 -k -i"
                    + " -o/dev/null -w '%{http_code}' -H 'X-A: 1' http://x/")
            .curl();
    assertThat(c.silent()).isTrue();
    assertThat(c.showError()).isTrue();
    assertThat(c.fail()).isEqualTo(CurlCommand.Fail.FAIL);
    assertThat(c.follow()).isTrue();
    assertThat(c.method()).contains("POST");
    assertThat(c.maxTime()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.maxRedirects()).isEqualTo(3);
    assertThat(c.insecure()).isTrue();
    assertThat(c.include()).isTrue();
    assertThat(c.discardBody()).isTrue();
    assertThat(c.writeOut()).isPresent();
    assertThat(c.headers()).containsExactly(new CurlCommand.Header("X-A", "1"));
    assertThat(c.url()).isEqualTo("http://x/");
    assertThat(NativePipeline.parse("/usr/bin/curl --url http://x/ | /bin/grep ok").curl().url())
        .isEqualTo("http://x/");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '!',
      value = {
        "curl -o out.txt http://x/ ! curl -o out.txt (writing files; only -o /dev/null is supported)",
        "curl -d @body.json http://x/ ! curl --data @file (reading data from a file or standard input)",
        "curl --data-binary @- http://x/ ! curl --data-binary @file (reading data from a file or standard input)",
        "curl -H @headers.txt http://x/ ! curl -H @file (reading headers from a file)",
        "curl -H 'Content-Length: 9' http://x/ ! curl -H 'Content-Length: ...' (the built-in curl frames the body itself)",
        "curl -u admin http://x/ ! curl -u without a password (curl would prompt for it)",
        "curl -b cookies.txt http://x/ ! curl -b cookies.txt (reading cookies from a file)",
        "curl -w @fmt http://x/ ! curl -w @file (reading the format from a file)",
        "curl file:///var/run/secrets/kubernetes.io/serviceaccount/token ! the URL scheme file: (only http:// and https:// URLs are supported)",
        "curl gopher://x/ ! the URL scheme gopher: (only http:// and https:// URLs are supported)",
        "curl http://x/[1-3] ! curl URL globbing ([ ] and { } in http://x/[1-3]; add -g to send them as they are)",
        "curl http://x/ http://y/ ! several URLs in one curl command (http://x/, http://y/)",
        "curl -s ! curl: no URL specified",
        "curl -m soon http://x/ ! curl: option --max-time: expected a proper numerical parameter, got soon",
        "curl -H ! curl: option -H: requires parameter",
        "curl -sI -d x http://x/ ! curl: you can only select one HTTP request method (-I)",
        "curl http://x/ | sort ! the program sort after a pipe (the built-in tools pipe curl into grep and jq only)",
        "URL=x curl http://x/ ! variable assignments (URL=x)",
      })
  void refusesWhatItCannotRunByName(String line, String message) {
    assertThatThrownBy(() -> NativePipeline.parse(line))
        .isInstanceOf(UnsupportedCommand.class)
        .hasMessage(message);
  }

  @Test
  void unknownOptionsNameTheOptionAndTheSupportedOnes() {
    assertThatThrownBy(() -> NativePipeline.parse("curl --retry 3 http://x/"))
        .hasMessage(
            "curl option --retry is not supported (supported: " + CurlCommand.SUPPORTED + ")");
    assertThatThrownBy(() -> NativePipeline.parse("curl -sv http://x/"))
        .hasMessageStartingWith("curl option -v is not supported (supported: -s -S -f");
    assertThatThrownBy(() -> NativePipeline.parse("curl -w '%{ssl_verify_result}' http://x/"))
        .hasMessageStartingWith(
            "the curl -w variable %{ssl_verify_result} (supported: content_type");
  }

  @Test
  void ipv6LiteralsAndGlobOffAreNotGlobs() {
    assertThat(NativePipeline.parse("curl -s http://[::1]:8080/").curl().url())
        .isEqualTo("http://[::1]:8080/");
    assertThat(NativePipeline.parse("curl -sg 'http://x/a[1]'").curl().url())
        .isEqualTo("http://x/a[1]");
  }

  @Test
  void recognisesCurlLines() {
    assertThat(NativePipeline.startsWithCurl("  curl -s x | grep y")).isTrue();
    assertThat(NativePipeline.startsWithCurl("/usr/bin/curl x")).isTrue();
    assertThat(NativePipeline.startsWithCurl("curlie x")).isFalse();
    assertThat(NativePipeline.startsWithCurl("hey -z 1m http://x/")).isFalse();
    assertThat(NativePipeline.startsWithCurl("echo curl")).isFalse();
  }
}
