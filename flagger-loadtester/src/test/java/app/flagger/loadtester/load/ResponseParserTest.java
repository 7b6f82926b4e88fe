package app.flagger.loadtester.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseParserTest {
  private final ResponseParser parser = new ResponseParser();

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void readsContentLengthBody() {
    parser.reset(false);
    assertThat(parser.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"))).isTrue();
    assertThat(parser.status()).isEqualTo(200);
    assertThat(parser.keepAlive()).isTrue();
    assertThat(parser.bodyBytes()).isEqualTo(5);
  }

  @Test
  void readsChunkedBodySplitAcrossReadsAtEveryByte() {
    String response =
        "HTTP/1.1 503 Service Unavailable\r\ntransfer-encoding: chunked\r\n\r\n"
            + "4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nTrailer: x\r\n\r\n";
    parser.reset(false);
    boolean done = false;
    for (int i = 0; i < response.length(); i++) {
      done = parser.feed(bytes(response.substring(i, i + 1)));
      assertThat(done).isEqualTo(i == response.length() - 1);
    }
    assertThat(parser.status()).isEqualTo(503);
    assertThat(parser.bodyBytes()).isEqualTo(9);
  }

  @Test
  void honoursConnectionCloseAndHttp10() {
    parser.reset(false);
    parser.feed(bytes("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
    assertThat(parser.keepAlive()).isFalse();
    parser.reset(false);
    parser.feed(bytes("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assertThat(parser.keepAlive()).isFalse();
  }

  @Test
  void bodyWithoutLengthRunsUntilClose() {
    parser.reset(false);
    assertThat(parser.feed(bytes("HTTP/1.1 200 OK\r\n\r\nsome bytes"))).isFalse();
    assertThat(parser.readsUntilClose()).isTrue();
    assertThat(parser.keepAlive()).isFalse();
  }

  @Test
  void headAnd204HaveNoBody() {
    parser.reset(true);
    assertThat(parser.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"))).isTrue();
    parser.reset(false);
    assertThat(parser.feed(bytes("HTTP/1.1 204 No Content\r\n\r\n"))).isTrue();
  }

  @Test
  void rejectsGarbage() {
    parser.reset(false);
    assertThatThrownBy(() -> parser.feed(bytes("SSH-2.0-OpenSSH\r\n\r\n")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("status line");
  }

  @Test
  void headerValuesAreMatchedWithoutRegardToCase() {
    parser.reset(false);
    parser.feed(bytes("HTTP/1.0 200 OK\r\nCONNECTION:  Keep-Alive\r\nContent-Length: 0\r\n\r\n"));
    assertThat(parser.keepAlive()).as("HTTP/1.0 with keep-alive").isTrue();
    parser.reset(false);
    parser.feed(
        bytes("HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\nContent-Length: 0\r\n\r\n"));
    assertThat(parser.keepAlive()).isFalse();
    parser.reset(false);
    String chunked =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";
    assertThat(parser.feed(bytes(chunked))).isTrue();
    assertThat(parser.bodyBytes()).isEqualTo(2);
  }

  /** Only a short prefix of each header line is kept, whatever the server sends. */
  @Test
  void longHeaderLinesAreSkippedAndLongFramingHeadersRefused() {
    parser.reset(false);
    String cookie = "Set-Cookie: " + "x".repeat(10_000) + "\r\n";
    assertThat(parser.feed(bytes("HTTP/1.1 200 OK\r\n" + cookie + "Content-Length: 2\r\n\r\nok")))
        .isTrue();
    assertThat(parser.bodyBytes()).isEqualTo(2);
    parser.reset(false);
    String padded = "Content-Length:" + " ".repeat(300) + "2\r\n";
    assertThatThrownBy(() -> parser.feed(bytes("HTTP/1.1 200 OK\r\n" + padded + "\r\nok")))
        .hasMessage("Content-Length header longer than 256 bytes");
    parser.reset(false);
    String huge = ("X-Filler: " + "y".repeat(1000) + "\r\n").repeat(70);
    assertThatThrownBy(() -> parser.feed(bytes("HTTP/1.1 200 OK\r\n" + huge + "\r\n")))
        .hasMessage("response headers larger than 64 KiB");
  }
}
