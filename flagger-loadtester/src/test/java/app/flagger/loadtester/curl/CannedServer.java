package app.flagger.loadtester.curl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A server that answers every connection with the same bytes, written as they are (for answers an
 * HTTP library would not send: a short body, no status line), then closes it.
 */
final class CannedServer implements AutoCloseable {
  private final ServerSocket server;

  CannedServer(String answer) {
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] bytes = answer.getBytes(StandardCharsets.ISO_8859_1);
    Thread.ofVirtual()
        .start(
            () -> {
              while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                  readHeaders(s.getInputStream());
                  s.getOutputStream().write(bytes);
                  s.getOutputStream().flush();
                } catch (IOException e) {
                  // closed
                }
              }
            });
  }

  private static void readHeaders(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        return;
      }
      b.write(c);
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getLocalPort() + path;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
