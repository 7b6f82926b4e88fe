package app.flagger.model.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BoundedBodyTest {
  static final String URL = "http://hook.test/";

  /** An endless body that counts what was read from it. */
  static final class Endless extends InputStream {
    long served;

    @Override
    public int read() {
      served++;
      return 'x';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      java.util.Arrays.fill(b, off, off + len, (byte) 'x');
      served += len;
      return len;
    }
  }

  static InputStream bytes(int n) {
    return new ByteArrayInputStream("x".repeat(n).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBodyAtTheLimitIsReadWhole() {
    assertThat(BoundedBody.read(bytes(10_000), OptionalLong.empty(), 10_000, URL)).hasSize(10_000);
    assertThat(BoundedBody.read(bytes(10_000), OptionalLong.of(10_000), 10_000, URL))
        .hasSize(10_000);
  }

  @Test
  void anEmptyBodyIsEmptyText() {
    assertThat(BoundedBody.read(bytes(0), OptionalLong.of(0), 1, URL)).isEmpty();
  }

  @Test
  void oneByteOverTheLimitFailsWithTheUrlAndTheLimit() {
    assertThatThrownBy(() -> BoundedBody.read(bytes(10_001), OptionalLong.empty(), 10_000, URL))
        .isInstanceOf(BoundedBody.TooLargeException.class)
        .hasMessage("response body from http://hook.test/ exceeds 10000 bytes");
  }

  @Test
  void aDeclaredLengthOverTheLimitFailsBeforeReading() {
    Endless body = new Endless();
    assertThatThrownBy(() -> BoundedBody.read(body, OptionalLong.of(300_000_000), 1024, URL))
        .isInstanceOf(BoundedBody.TooLargeException.class);
    assertThat(body.served).isZero();
  }

  @Test
  void anEndlessBodyIsReadOnlyOneBytePastTheLimit() {
    Endless body = new Endless();
    assertThatThrownBy(() -> BoundedBody.read(body, OptionalLong.empty(), 100_000, URL))
        .hasMessage("response body from http://hook.test/ exceeds 100000 bytes");
    assertThat(body.served).isEqualTo(100_001);
  }

  @Test
  void textIsDecodedAsUtf8() {
    byte[] utf8 = "gate closed: ü".getBytes(StandardCharsets.UTF_8);
    assertThat(BoundedBody.read(new ByteArrayInputStream(utf8), OptionalLong.empty(), 100, URL))
        .isEqualTo("gate closed: ü");
  }

  @Test
  void limitsAreBytesOrBinarySuffixes() {
    assertThat(BoundedBody.parseLimit("k", "1048576")).isEqualTo(1_048_576);
    assertThat(BoundedBody.parseLimit("k", " 1Mi ")).isEqualTo(1_048_576);
    assertThat(BoundedBody.parseLimit("k", "64Ki")).isEqualTo(65_536);
    assertThat(BoundedBody.parseLimit("k", "1Gi")).isEqualTo(BoundedBody.MAX_LIMIT);
    assertThat(BoundedBody.parseLimit("k", "1")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "-1", "1MB", "2Gi", "1.5Mi", "Mi", "lots", "99999999999"})
  void anInvalidLimitNamesTheKey(String value) {
    assertThatThrownBy(() -> BoundedBody.parseLimit("flagger.http-response-limit", value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "flagger.http-response-limit: expected a size in bytes from 1 to 1Gi, like 1048576 or"
                + " 1Mi, got '"
                + value
                + "'");
  }

  @Test
  void anOriginLeavesOutUserInfoPathAndQuery() {
    assertThat(
            BoundedBody.origin(
                java.net.URI.create(
                    "https://user:pw@hooks.slack.com:8443/services/T0/B0/s3cr3t?x=1")))
        .isEqualTo("https://hooks.slack.com:8443");
    assertThat(BoundedBody.origin(java.net.URI.create("http://prometheus/prom")))
        .isEqualTo("http://prometheus");
  }
}
