package app.flagger.loadtester.curl;

import app.flagger.loadtester.load.TrustAll;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * Runs a {@link CurlCommand} the way curl does: HTTP/1.1 over a fresh connection per request,
 * redirects with {@code -L}, {@code -f} failures, {@code -i} headers and {@code -w} output, and
 * curl's exit codes and {@code curl: (N) message} errors.
 */
public final class CurlClient {
  /** The User-Agent curl's default is replaced with. */
  public static final String USER_AGENT = "curl/8 (flagger-loadtester)";

  /** Largest body kept for the output or the next command of the pipeline. */
  public static final int MAX_BODY = 8 << 20;

  /**
   * Resolves the host of a request to the address to connect to, or refuses it.
   *
   * <p>Implementations throw {@link IllegalArgumentException} naming why a destination is refused
   * (reported as {@code curl: (7) Failed to connect to HOST port PORT: <message>}, also with {@code
   * -s}) and {@link UnknownHostException} for an unknown host (exit 6).
   */
  @FunctionalInterface
  public interface Destinations {
    InetAddress resolve(String host, int port) throws UnknownHostException;
  }

  /** Any destination, resolved by the system resolver. */
  public static final Destinations ANY_DESTINATION = (host, port) -> InetAddress.getByName(host);

  /**
   * What a curl run wrote.
   *
   * @param body what went to standard output during the transfer ({@code -i} headers, the body)
   * @param error the error message for standard error, empty for none
   * @param writeOut the {@code -w} output, written to standard output last
   * @param timedOut true when the task timeout or a shutdown stopped it
   */
  public record Output(byte[] body, String error, String writeOut, int exitCode, boolean timedOut) {
    /** Standard output as the next command of a pipeline reads it. */
    public byte[] stdout() {
      byte[] w = writeOut.getBytes(StandardCharsets.UTF_8);
      byte[] all = new byte[body.length + w.length];
      System.arraycopy(body, 0, all, 0, body.length);
      System.arraycopy(w, 0, all, body.length, w.length);
      return all;
    }
  }

  private final Destinations destinations;
  private final SSLSocketFactory tls;
  private final SSLSocketFactory insecureTls;

  /** A client that checks every address it connects to with {@code destinations}. */
  public CurlClient(Destinations destinations) {
    this(destinations, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** With {@code tls} for verified connections (tests trust their own certificate with it). */
  public CurlClient(Destinations destinations, SSLSocketFactory tls) {
    this.destinations = Objects.requireNonNull(destinations);
    this.tls = tls;
    this.insecureTls = TrustAll.sslContext().getSocketFactory();
  }

  /**
   * @param cancelled true once the task must stop (its timeout or a shutdown)
   */
  public Output run(CurlCommand c, BooleanSupplier cancelled) {
    return new Transfer(c, new Deadline(System.nanoTime(), c.maxTime(), cancelled)).run();
  }

  /** One run: the redirect loop and what it writes. */
  private final class Transfer {
    private final CurlCommand c;
    private final Deadline deadline;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private HttpExchange exchange;
    private HttpExchange.Response last;
    private String effectiveUrl;
    private String method;
    private int redirects;
    private long headerBytes;

    Transfer(CurlCommand c, Deadline deadline) {
      this.c = c;
      this.deadline = deadline;
      this.effectiveUrl = c.url();
    }

    Output run() {
      try {
        perform();
      } catch (CurlError e) {
        boolean shown = c.showsErrors() || e.always();
        String error = shown ? "curl: (" + e.code() + ") " + e.getMessage() + "\n" : "";
        return finish(e.code(), error, e.getMessage());
      } catch (Deadline.Cancelled e) {
        return new Output(out.toByteArray(), "", "", -1, true);
      }
      return finish(0, "", "");
    }

    private Output finish(int exit, String error, String errorMessage) {
      String w =
          c.writeOut()
              .map(f -> f.render(v -> variable(v, exit, errorMessage), this::responseHeader))
              .orElse("");
      return new Output(out.toByteArray(), error, w, exit, false);
    }

    private void perform() throws CurlError {
      URI uri = uri(withQuery(c.url()));
      method = initialMethod();
      byte[] body = c.data().isPresent() && !c.get() ? c.data().get() : null;
      List<CurlCommand.Header> headers = c.headers();
      while (true) {
        effectiveUrl = uri.toString();
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        byte[] request = Requests.render(c, method, uri, port, headers, body);
        exchange = new HttpExchange(destinations, tls, insecureTls, deadline);
        try {
          last =
              exchange.exchange(
                  uri.getHost(),
                  port,
                  https,
                  c.insecure(),
                  c.connectTimeout(),
                  request,
                  method.equals("HEAD"),
                  this::route);
        } finally {
          headerBytes += exchange.headerBytes();
        }
        if (!followed(last)) {
          break;
        }
        if (redirects >= c.maxRedirects()) {
          throw new CurlError(47, "Maximum (" + c.maxRedirects() + ") redirects followed");
        }
        redirects++;
        URI next = redirect(uri, last.headers().get("location"));
        if (!sameOrigin(uri, next)) {
          headers = crossOrigin(headers);
        }
        if (c.method().isEmpty()
            && (last.status() == 303 || (last.status() <= 302 && method.equals("POST")))) {
          method = method.equals("HEAD") ? "HEAD" : "GET";
          body = null;
        }
        uri = next;
      }
      if (last.status() >= 400 && c.fail() != CurlCommand.Fail.NO) {
        throw new CurlError(22, "The requested URL returned error: " + last.status());
      }
    }

    /** Redirect bodies and {@code -f} failures are not read; others go to the output. */
    private HttpExchange.Sink route(HttpExchange.Response r) throws CurlError {
      writeHeaders(r);
      if (followed(r) || (r.status() >= 400 && c.fail() == CurlCommand.Fail.FAIL)) {
        return null;
      }
      if (c.discardBody()) {
        return (b, off, len) -> {};
      }
      return (b, off, len) -> {
        if (out.size() + len > MAX_BODY) {
          throw new CurlError(
              23,
              "Failure writing output to destination (the built-in curl keeps at most "
                  + (MAX_BODY >> 20)
                  + " MiB of a body; add -o /dev/null to discard it)",
              true);
        }
        out.write(b, off, len);
      };
    }

    private boolean followed(HttpExchange.Response r) {
      return c.follow() && isRedirect(r) && r.headers().containsKey("location");
    }

    private String initialMethod() {
      if (c.method().isPresent()) {
        return c.method().get();
      }
      if (c.head()) {
        return "HEAD";
      }
      return c.data().isPresent() && !c.get() ? "POST" : "GET";
    }

    private String withQuery(String url) {
      if (!c.get() || c.data().isEmpty()) {
        return url;
      }
      String data = new String(c.data().get(), StandardCharsets.UTF_8);
      return url + (url.contains("?") ? "&" : "?") + data;
    }

    private String responseHeader(String name) {
      return last == null ? "" : last.headers().getOrDefault(name, "");
    }

    private String variable(String name, int exit, String errorMessage) {
      int code = last == null ? 0 : last.status();
      return switch (name) {
        case "http_code", "response_code" -> String.format(Locale.ROOT, "%03d", code);
        case "http_version" -> last == null ? "0" : last.version();
        case "method" -> method == null ? "GET" : method;
        case "scheme" -> effectiveUrl.startsWith("https") ? "HTTPS" : "HTTP";
        case "url_effective" -> effectiveUrl;
        case "content_type" -> responseHeader("content-type");
        case "num_redirects" -> Integer.toString(redirects);
        case "size_download" -> Long.toString(exchange == null ? 0 : exchange.bodyBytes());
        case "size_header" -> Long.toString(headerBytes);
        case "remote_ip" -> exchange == null ? "" : exchange.remoteIp();
        case "remote_port" -> exchange == null ? "" : Integer.toString(exchange.remotePort());
        case "time_total" -> seconds(deadline.elapsedSeconds());
        case "time_connect" -> seconds(exchange == null ? 0 : exchange.connectSeconds());
        case "time_starttransfer" -> seconds(exchange == null ? 0 : exchange.firstByteSeconds());
        case "exitcode" -> Integer.toString(exit);
        case "errormsg" -> errorMessage;
        default -> throw new IllegalStateException(name);
      };
    }

    private void writeHeaders(HttpExchange.Response r) {
      boolean failed = r.status() >= 400 && c.fail() == CurlCommand.Fail.FAIL;
      if ((c.include() || c.head()) && !c.discardBody() && !failed) {
        out.writeBytes(r.rawHeaders().getBytes(StandardCharsets.ISO_8859_1));
      }
    }
  }

  private static boolean isRedirect(HttpExchange.Response r) {
    return switch (r.status()) {
      case 301, 302, 303, 307, 308 -> true;
      default -> false;
    };
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.6f", s);
  }

  /** Without a scheme curl assumes http://; a URL it cannot parse is exit 3. */
  static URI uri(String url) throws CurlError {
    String u = url.contains("://") ? url : "http://" + url;
    URI uri;
    try {
      uri = new URI(u);
    } catch (URISyntaxException e) {
      throw new CurlError(3, "URL rejected: Malformed input to a URL function");
    }
    if (uri.getHost() == null) {
      if (uri.getRawAuthority() != null && uri.getRawAuthority().matches(".*:[^0-9].*")) {
        throw new CurlError(
            3, "URL rejected: Port number was not a decimal number between 0 and 65535");
      }
      throw new CurlError(3, "URL rejected: No host part in the URL");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new CurlError(1, "Protocol \"" + scheme + "\" not supported", true);
    }
    return uri;
  }

  private static URI redirect(URI from, String location) throws CurlError {
    try {
      return uri(from.resolve(new URI(location.strip())).toString());
    } catch (URISyntaxException e) {
      throw new CurlError(3, "URL rejected: Malformed input to a URL function");
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort();
  }

  /** curl does not send credentials, cookies or a custom Host to another host. */
  private static List<CurlCommand.Header> crossOrigin(List<CurlCommand.Header> headers) {
    List<CurlCommand.Header> kept = new ArrayList<>();
    for (CurlCommand.Header h : headers) {
      String n = h.name().toLowerCase(Locale.ROOT);
      if (!n.equals("authorization") && !n.equals("cookie") && !n.equals("host")) {
        kept.add(h);
      }
    }
    return kept;
  }
}
