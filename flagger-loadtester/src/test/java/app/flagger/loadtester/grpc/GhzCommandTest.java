package app.flagger.loadtester.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.loadtester.load.CommandLine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GhzCommandTest {
  private static final Function<String, byte[]> NO_FILES =
      f -> {
        throw new IllegalArgumentException("no local files");
      };

  private static GhzSpec parse(String line) {
    return GhzCommand.parse(CommandLine.split(line), NO_FILES, GrpcLimits.DEFAULTS);
  }

  /** Both ghz lines of Flagger's webhook docs. */
  @Test
  void readsFlaggersDocumentedCommands() {
    GhzSpec load = parse("-z 1m -q 10 -c 2 --insecure podinfo.test:9898");
    assertThat(load.target()).isEqualTo(new GrpcTarget("podinfo.test", 9898));
    assertThat(load.call()).isEqualTo("grpc.health.v1.Health/Check");
    assertThat(load.duration()).isEqualTo(Duration.ofMinutes(1));
    assertThat(load.requests()).isZero();
    assertThat(load.rate()).isEqualTo(10);
    assertThat(load.concurrency()).isEqualTo(2);
    assertThat(load.tls().enabled()).isFalse();
    assertThat(load.protoset()).isNull();

    GhzSpec noReflection =
        parse(
            "--insecure --proto=/tmp/ghz/health.proto --call=grpc.health.v1.Health/Check"
                + " podinfo.test:9898");
    assertThat(noReflection.protoset()).isNotEmpty();
    assertThat(noReflection.requests()).isEqualTo(200);
    assertThat(noReflection.concurrency()).isEqualTo(50);
    assertThat(noReflection.timeout()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void readsTheBriefsExample() {
    GhzSpec s =
        parse(
            "--insecure --call grpc.health.v1.Health/Check -d '{\"service\":\"\"}' -z 1m -c 10"
                + " -q 100 host:9000");
    assertThat(s.data()).containsExactly("{\"service\":\"\"}");
    assertThat(s.rate()).isEqualTo(100);
    assertThat(s.concurrency()).isEqualTo(10);
  }

  @Test
  void readsKingpinSpellings() {
    GhzSpec s =
        parse(
            "-n100 -c=5 --connections 5 --rps=50 -t 2s --connect-timeout=3s -m '{\"X-A\":\"b\"}'"
                + " --name smoke --count-errors --skipFirst 3 -e --authority api.test"
                + " -d '[{\"service\":\"a\"},{\"service\":\"b\"}]' dns:///api.test:443");
    assertThat(s.requests()).isEqualTo(100);
    assertThat(s.connections()).isEqualTo(5);
    assertThat(s.rate()).isEqualTo(50);
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.metadata()).isEqualTo(Map.of("x-a", "b"));
    assertThat(s.name()).isEqualTo("smoke");
    assertThat(s.countErrors()).isTrue();
    assertThat(s.skipFirst()).isEqualTo(3);
    assertThat(s.gzip()).isTrue();
    assertThat(s.authority()).isEqualTo("api.test");
    assertThat(s.tls().enabled()).isTrue();
    assertThat(s.data()).containsExactly("{\"service\":\"a\"}", "{\"service\":\"b\"}");
    assertThat(s.target()).isEqualTo(new GrpcTarget("api.test", 443));
  }

  @Test
  void refusesRunsOverTheLimitsNamingFlagAndLimit() {
    assertThatThrownBy(() -> parse("-c 1001 -z 1m --insecure x:1"))
        .hasMessage("ghz: --concurrency 1001 is over the limit of 1000");
    assertThatThrownBy(() -> parse("--connections 1001 -c 1000 -z 1m --insecure x:1"))
        .hasMessage("ghz: --connections 1001 is over the limit of 1000");
    assertThatThrownBy(() -> parse("--rps 10001 -z 1m --insecure x:1"))
        .hasMessage("ghz: --rps 10001 is over the limit of 10000 requests per second");
    assertThatThrownBy(() -> parse("-z 61m --insecure x:1"))
        .hasMessage("ghz: --duration 61m is over the limit of 1h0m0s");
    GhzSpec atLimits = parse("-c 1000 --rps 10000 -z 1h --insecure x:1");
    assertThat(atLimits.concurrency()).isEqualTo(1000);
    assertThatThrownBy(
            () ->
                GhzCommand.parse(
                    CommandLine.split("-c 20 -z 1m x:1"),
                    NO_FILES,
                    new GrpcLimits(10, 100, Duration.ofMinutes(5))))
        .hasMessage("ghz: --concurrency 20 is over the limit of 10");
  }

  @Test
  void refusesWhatItCannotDoWithAClearMessage() {
    assertThatThrownBy(() -> parse("--proto ./echo.proto --call echo.Echo/Say x:1"))
        .hasMessageStartingWith("ghz: --proto ./echo.proto: .proto source files cannot be compiled")
        .hasMessageContaining("leave out --proto to use the server's reflection")
        .hasMessageContaining("--protoset");
    assertThatThrownBy(() -> parse("--protoset /etc/x.protoset x:1"))
        .hasMessageContaining("loadtester.load.body-file-dir");
    assertThatThrownBy(() -> parse("--stream-interval 1s x:1"))
        .hasMessage(
            "ghz: --stream-interval is not supported by the built-in ghz: streaming calls are not"
                + " supported");
    assertThatThrownBy(() -> parse("-O json x:1"))
        .hasMessage("ghz: --format json is not supported by the built-in ghz (supported: summary)");
    assertThatThrownBy(() -> parse("--frobnicate x:1"))
        .hasMessage("ghz: unknown long flag '--frobnicate'");
    assertThatThrownBy(() -> parse("-Q x:1")).hasMessage("ghz: unknown short flag '-Q'");
    assertThatThrownBy(() -> parse("--insecure")).hasMessageStartingWith("ghz: host required");
    assertThatThrownBy(() -> parse("--insecure podinfo"))
        .hasMessageStartingWith("ghz: host: expected host:port");
    assertThatThrownBy(() -> parse("-d '{nope' x:1"))
        .hasMessageStartingWith("ghz: error unmarshaling data '{nope'");
    assertThatThrownBy(() -> parse("-d '{\"a\":\"{{.RequestNumber}}\"}' x:1"))
        .hasMessageContaining("templates");
    assertThatThrownBy(() -> parse("-c 2 --connections 3 x:1"))
        .hasMessage("ghz: number of connections cannot be greater than concurrency");
    assertThatThrownBy(() -> parse("--call Check x:1"))
        .hasMessageStartingWith("ghz: --call: expected");
  }

  @Test
  void readsTheFlagsValueFromTheNextWordOrAfterTheEqualsSign() {
    assertThat(parse("--call grpc.health.v1.Health/Watch x:1").method()).isEqualTo("Watch");
    assertThat(parse("--call=grpc.health.v1.Health.Watch x:1").service())
        .isEqualTo("grpc.health.v1.Health");
    assertThat(parse("--insecure=false x:1").tls().enabled()).isTrue();
    assertThat(parse("--skipTLS x:1").tls().skipVerify()).isTrue();
    assertThat(List.of(parse("--duration-stop wait -z 1s x:1").waitAtEnd())).containsExactly(true);
  }
}
