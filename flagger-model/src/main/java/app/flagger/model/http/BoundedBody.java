package app.flagger.model.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Reads an HTTP response body from the outside world (webhooks, metric providers, notifiers,
 * Grafana) up to a limit. A longer body is a failed call, {@link TooLargeException}, and the rest
 * of it is never read: a declared {@code Content-Length} above the limit fails before the first
 * byte, a chunked body fails at byte {@code limit + 1}. The caller then closes the response, which
 * drops the connection instead of draining it. Plain {@code java.io}, so every module can use it.
 */
public final class BoundedBody {
  /** 1 MiB, the default of {@code flagger.http-response-limit} and its Grafana peer. */
  public static final long DEFAULT_LIMIT = 1L << 20;

  /** 1 GiB: a body is held as one {@code String}, so larger limits are refused. */
  public static final long MAX_LIMIT = 1L << 30;

  private static final int CHUNK = 8192;

  private BoundedBody() {}

  /**
   * The body as UTF-8 text.
   *
   * @param in the body; not closed here
   * @param contentLength the declared length, empty when chunked or unknown
   * @param limit the most bytes accepted
   * @param url where the body comes from, for the error message
   * @throws TooLargeException when the body is longer than {@code limit}
   * @throws UncheckedIOException when reading fails
   */
  public static String read(InputStream in, OptionalLong contentLength, long limit, String url) {
    if (contentLength.isPresent() && contentLength.getAsLong() > limit) {
      throw new TooLargeException(url, limit);
    }
    int expected = (int) Math.min(contentLength.orElse(CHUNK), Math.min(limit, CHUNK));
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(expected, 16));
    byte[] buffer = new byte[CHUNK];
    long total = 0;
    try {
      while (true) {
        // never ask for more than one byte past the limit
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit + 1 - total));
        if (n < 0) {
          return out.toString(StandardCharsets.UTF_8);
        }
        total += n;
        if (total > limit) {
          throw new TooLargeException(url, limit);
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The scheme, host and port of {@code uri}, to name it in errors: user info, path and query are
   * left out, since they may hold credentials (a Slack hook's path is its secret).
   */
  public static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  /**
   * Parses a limit setting: a number of bytes ({@code 1048576}) or one with a binary suffix {@code
   * Ki}, {@code Mi} or {@code Gi} ({@code 1Mi}), between 1 byte and {@link #MAX_LIMIT}.
   *
   * @param key the setting's full key, named in the error
   * @throws IllegalArgumentException naming {@code key} when the value is not such a size
   */
  public static long parseLimit(String key, String value) {
    String expected =
        key + ": expected a size in bytes from 1 to 1Gi, like 1048576 or 1Mi, got '" + value + "'";
    String v = value == null ? "" : value.trim();
    long unit = 1;
    String suffix = v.length() > 2 ? v.substring(v.length() - 2).toLowerCase(Locale.ROOT) : "";
    switch (suffix) {
      case "ki" -> unit = 1L << 10;
      case "mi" -> unit = 1L << 20;
      case "gi" -> unit = 1L << 30;
      default -> {}
    }
    String digits = unit == 1 ? v : v.substring(0, v.length() - 2);
    if (digits.isEmpty()
        || digits.length() > 10
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(expected);
    }
    long bytes = Long.parseLong(digits) * unit;
    if (bytes < 1 || bytes > MAX_LIMIT) {
      throw new IllegalArgumentException(expected);
    }
    return bytes;
  }

  /** A response body longer than the limit: {@code response body from <url> exceeds <n> bytes}. */
  public static final class TooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TooLargeException(String url, long limit) {
      super("response body from " + url + " exceeds " + limit + " bytes");
    }
  }
}
