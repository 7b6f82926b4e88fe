package app.flagger.loadtester.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Command lines as they appear in Flagger's docs and tutorials. */
class HeyCommandTest {
  private static final Function<String, byte[]> NO_FILES =
      f -> {
        throw new IllegalArgumentException("files disabled");
      };

  record Case(String line, Duration duration, int concurrency, double rate, String method) {}

  static Stream<Case> flaggerDocs() {
    return Stream.of(
        new Case(
            "hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/",
            Duration.ofMinutes(1),
            2,
            20,
            "GET"),
        new Case(
            "hey -z 2m -q 10 -c 2 http://podinfo-canary.test:9898/",
            Duration.ofMinutes(2),
            2,
            20,
            "GET"),
        new Case(
            "hey -z 1m -q 5 -c 2 http://podinfo.test:9898/", Duration.ofMinutes(1), 2, 10, "GET"),
        new Case(
            "hey -z 1m -q 10 -c 2 -H 'Cookie: canary=always' http://podinfo.test:9898/",
            Duration.ofMinutes(1),
            2,
            20,
            "GET"),
        new Case(
            "hey -z 10m -q 10 -c 2 -m POST -d '{\"test\": true}' http://podinfo-canary.test:9898/echo",
            Duration.ofMinutes(10),
            2,
            20,
            "POST"),
        new Case(
            "hey -z 1m -q 10 -c 2 -host app.example.com http://gateway.istio-system/",
            Duration.ofMinutes(1),
            2,
            20,
            "GET"),
        new Case(
            "hey -z 30s -c 5 http://podinfo-canary.test:9898/",
            Duration.ofSeconds(30),
            5,
            0,
            "GET"));
  }

  @ParameterizedTest
  @MethodSource("flaggerDocs")
  void parsesTheCommandLinesOfFlaggersDocs(Case c) {
    List<String> words = CommandLine.split(c.line());
    LoadSpec spec = HeyCommand.parse(words.subList(1, words.size()), NO_FILES);
    assertThat(spec.duration()).isEqualTo(c.duration());
    assertThat(spec.concurrency()).isEqualTo(c.concurrency());
    assertThat(spec.rate()).isEqualTo(c.rate());
    assertThat(spec.method()).isEqualTo(c.method());
    assertThat(spec.requests()).isZero();
    assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(spec.keepAlive()).isTrue();
  }

  @Test
  void readsHeadersBodyAndHostOverride() {
    LoadSpec spec =
        HeyCommand.parse(
            List.of(
                "-n",
                "100",
                "-c",
                "4",
                "-m",
                "post",
                "-T",
                "application/json",
                "-d",
                "{}",
                "-H",
                "X-Canary: insider",
                "-host",
                "app.example.com",
                "-A",
                "text/plain",
                "-a",
                "u:p",
                "-h2",
                "-disable-keepalive",
                "-t",
                "3",
                "http://podinfo:9898/api?x=1"),
            NO_FILES);
    assertThat(spec.url()).isEqualTo(URI.create("http://podinfo:9898/api?x=1"));
    assertThat(spec.requests()).isEqualTo(100);
    assertThat(spec.duration()).isZero();
    assertThat(spec.method()).isEqualTo("POST");
    assertThat(new String(spec.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    assertThat(spec.headers())
        .containsEntry("X-Canary", "insider")
        .containsEntry("Host", "app.example.com")
        .containsEntry("Content-Type", "application/json")
        .containsEntry("Accept", "text/plain")
        .containsEntry("Authorization", "Basic dTpw");
    assertThat(spec.http2()).isTrue();
    assertThat(spec.keepAlive()).isFalse();
    assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void acceptsGoFlagSyntaxVariants() {
    LoadSpec spec = HeyCommand.parse(List.of("--z=5s", "-c=3", "http://x/"), NO_FILES);
    assertThat(spec.duration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(spec.concurrency()).isEqualTo(3);
  }

  static Stream<List<Object>> badLines() {
    return Stream.of(
        List.of("-z 1x http://x/", "invalid value \"1x\" for flag -z"),
        List.of("-z 1m -c two http://x/", "invalid value \"two\" for flag -c"),
        List.of("-z 1m -q -5 http://x/", "invalid value \"-5\" for flag -q"),
        List.of("-bogus http://x/", "flag provided but not defined: -bogus"),
        List.of("-z 1m -c 2", "missing the URL"),
        List.of("-z", "flag needs an argument: -z"),
        List.of("-n 1 -c 2 http://x/", "-n cannot be less than -c"),
        List.of("-z 1m -H nocolon http://x/", "could not parse the provided input"),
        List.of("-z 1m ftp://x/", "http:// or https://"),
        List.of("-z 1m -D /etc/passwd http://x/", "files disabled"),
        List.of("-z 1m -x http://proxy:3128 http://x/", "proxy"),
        List.of("-z 1m http://x/ extra", "exactly one URL"));
  }

  @ParameterizedTest
  @MethodSource("badLines")
  void rejectsBadFlagsWithTheirName(List<Object> c) {
    List<String> args = CommandLine.split((String) c.get(0));
    assertThatThrownBy(() -> HeyCommand.parse(args, NO_FILES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining((String) c.get(1));
  }

  @Test
  void parsesWrkCommandLines() {
    LoadSpec spec =
        WrkCommand.parse(
            CommandLine.split("-t2 -c10 -d30s --latency -H 'X-A: b' http://podinfo:9898/"));
    assertThat(spec.concurrency()).isEqualTo(10);
    assertThat(spec.duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(spec.headers()).containsEntry("X-A", "b");
    assertThat(WrkCommand.parse(List.of("--duration", "1m", "-R", "50", "http://x/")).rate())
        .isEqualTo(50);
    assertThatThrownBy(() -> WrkCommand.parse(List.of("-s", "post.lua", "http://x/")))
        .hasMessageContaining("Lua scripts");
    assertThatThrownBy(() -> WrkCommand.parse(List.of("-t4", "-c2", "http://x/")))
        .hasMessageContaining("connections must be >= threads");
    assertThatThrownBy(() -> WrkCommand.parse(List.of("-d", "soon", "http://x/")))
        .hasMessageContaining("invalid time");
  }
}
