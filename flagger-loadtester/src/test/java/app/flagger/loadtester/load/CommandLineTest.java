package app.flagger.loadtester.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandLineTest {
  @Test
  void splitsLikeAShellWithoutRunningOne() {
    assertThat(CommandLine.split("hey -m POST -d '{\"test\": true}' -H \"Cookie: a=b\" http://x/"))
        .containsExactly(
            "hey", "-m", "POST", "-d", "{\"test\": true}", "-H", "Cookie: a=b", "http://x/");
    assertThat(CommandLine.split("  a\\ b  c ")).containsExactly("a b", "c");
  }

  @Test
  void detectsShellSyntaxOutsideQuotes() {
    assertThat(CommandLine.needsShell("curl -sd 'test' http://podinfo-canary/token | grep token"))
        .isTrue();
    assertThat(CommandLine.needsShell("echo $HOME")).isTrue();
    assertThat(CommandLine.needsShell("a && b")).isTrue();
    assertThat(CommandLine.needsShell("hey -d '{\"a\": \"|\"}' http://x/?a=b")).isFalse();
  }

  @Test
  void rejectsUnterminatedQuotes() {
    assertThatThrownBy(() -> CommandLine.split("hey -d 'oops"))
        .hasMessageContaining("unterminated");
  }
}
