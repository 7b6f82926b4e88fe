package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bodies over {@code server.max-payload-size} (1 MiB), sent with a raw socket client. */
class BodyLimitTest {
  private static final int OVER = (1 << 20) + 1024;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.config(Map.of()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void plainBodyOverTheLimitIs413() throws IOException {
    String answer = exchange("/", false);
    assertThat(answer).startsWith("HTTP/1.1 413 ");
  }

  @Test
  void chunkedBodyOverTheLimitIs413() throws IOException {
    String answer = exchange("/", true);
    assertThat(answer)
        .startsWith("HTTP/1.1 413 ")
        .contains("request body too large: at most 1048576 bytes (server.max-payload-size)");
  }

  @Test
  void chunkedBodyToAGateIs413Too() throws IOException {
    assertThat(exchange("/gate/open", true)).startsWith("HTTP/1.1 413 ");
  }

  /**
   * Sends a POST whose JSON body is over the limit and returns the status line and what follows.
   */
  private static String exchange(String path, boolean chunked) throws IOException {
    byte[] body = new byte[OVER];
    Arrays.fill(body, (byte) ' ');
    byte[] start = "{\"name\":\"podinfo\",\"namespace\":\"test\",\"x\":\"".getBytes();
    System.arraycopy(start, 0, body, 0, start.length);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
              + (chunked
                  ? "Transfer-Encoding: chunked\r\n"
                  : "Content-Length: " + body.length + "\r\n")
              + "\r\n";
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      try {
        if (chunked) {
          int chunk = 16 * 1024;
          for (int i = 0; i < body.length; i += chunk) {
            int n = Math.min(chunk, body.length - i);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, i, n);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
          out.write(body);
        }
        out.flush();
      } catch (IOException e) {
        // the server may answer and close before the whole body is sent
      }
      return readAnswer(s.getInputStream());
    }
  }

  private static String readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) > 0 && got.size() < 8192) {
        got.write(buf, 0, n);
        String text = got.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end >= 0 && bodyComplete(text, end)) {
          break;
        }
      }
    } catch (IOException e) {
      // reset after the answer: what arrived is enough
    }
    return got.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean bodyComplete(String text, int headEnd) {
    var m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
    return !m.find() || text.length() >= headEnd + 4 + Integer.parseInt(m.group(1));
  }
}
