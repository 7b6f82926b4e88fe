package app.flagger.loadtester.curl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 request and its response on a fresh connection, as curl makes it: the request is
 * written as given, the response read with Content-Length, chunked or close framing. Failures are
 * {@link CurlError}s with curl's exit codes.
 */
final class HttpExchange {
  private static final Duration CURL_CONNECT_TIMEOUT = Duration.ofSeconds(300);
  private static final int MAX_HEADER_BYTES = 300 * 1024;

  /** A response: status, HTTP version, raw header block, headers by lower-case name (last wins). */
  record Response(int status, String version, String rawHeaders, Map<String, String> headers) {}

  /** Where the body goes: kept up to a bound, or counted only. */
  interface Sink {
    void write(byte[] b, int off, int len) throws CurlError;
  }

  /** Decides, once the headers are in, where the body goes; null leaves it unread. */
  interface BodyRoute {
    Sink route(Response r) throws CurlError;
  }

  private final CurlClient.Destinations destinations;
  private final SSLSocketFactory tls;
  private final SSLSocketFactory insecureTls;
  private final Deadline deadline;
  private String remoteIp = "";
  private int remotePort;
  private double connectSeconds;
  private double firstByteSeconds;
  private long headerBytes;
  private long bodyBytes;

  HttpExchange(
      CurlClient.Destinations destinations,
      SSLSocketFactory tls,
      SSLSocketFactory insecureTls,
      Deadline deadline) {
    this.destinations = destinations;
    this.tls = tls;
    this.insecureTls = insecureTls;
    this.deadline = deadline;
  }

  String remoteIp() {
    return remoteIp;
  }

  int remotePort() {
    return remotePort;
  }

  double connectSeconds() {
    return connectSeconds;
  }

  double firstByteSeconds() {
    return firstByteSeconds;
  }

  long headerBytes() {
    return headerBytes;
  }

  long bodyBytes() {
    return bodyBytes;
  }

  /**
   * @param route where the body goes, chosen from the response's status and headers
   */
  Response exchange(
      String host,
      int port,
      boolean https,
      boolean insecure,
      Duration connectTimeout,
      byte[] request,
      boolean headRequest,
      BodyRoute route)
      throws CurlError {
    try (Socket socket = connect(host, port, connectTimeout)) {
      Socket s = https ? handshake(socket, host, port, insecure) : socket;
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = new TimedInput(s, deadline, this);
      return read(in, headRequest, route);
    } catch (LimitReached e) {
      throw e.error;
    } catch (SSLException e) {
      throw new CurlError(56, "Recv failure: " + e.getMessage());
    } catch (IOException e) {
      throw new CurlError(56, "Recv failure: " + message(e));
    }
  }

  private Socket connect(String host, int port, Duration connectTimeout) throws CurlError {
    InetAddress address;
    try {
      address = destinations.resolve(bare(host), port);
    } catch (UnknownHostException e) {
      throw new CurlError(6, "Could not resolve host: " + host);
    } catch (IllegalArgumentException e) {
      throw new CurlError(
          7, "Failed to connect to " + host + " port " + port + ": " + e.getMessage(), true);
    }
    Duration limit = connectTimeout == null ? CURL_CONNECT_TIMEOUT : connectTimeout;
    long started = System.nanoTime();
    deadline.check(0);
    // one attempt, bounded by the connect timeout and --max-time (a shutdown interrupts it)
    boolean maxTimeFirst = deadline.maxTimeLeft() < limit.toNanos();
    long wait = Math.min(limit.toNanos(), deadline.maxTimeLeft());
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(address, port), (int) Math.max(1, wait / 1_000_000));
      socket.setTcpNoDelay(true);
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      deadline.check(0);
      long ms = (System.nanoTime() - started) / 1_000_000;
      throw new CurlError(
          28,
          maxTimeFirst
              ? "Connection timed out after " + deadline.elapsedMillis() + " milliseconds"
              : "Failed to connect to "
                  + host
                  + " port "
                  + port
                  + " after "
                  + ms
                  + " ms: Timeout was reached");
    } catch (ConnectException | java.net.NoRouteToHostException e) {
      closeQuietly(socket);
      throw new CurlError(
          7,
          "Failed to connect to "
              + host
              + " port "
              + port
              + " after "
              + (System.nanoTime() - started) / 1_000_000
              + " ms: Couldn't connect to server");
    } catch (IOException e) {
      closeQuietly(socket);
      throw new CurlError(7, "Failed to connect to " + host + " port " + port + ": " + message(e));
    }
    remoteIp = address.getHostAddress();
    remotePort = port;
    connectSeconds = deadline.elapsedSeconds();
    return socket;
  }

  private Socket handshake(Socket plain, String host, int port, boolean insecure)
      throws CurlError, IOException {
    SSLSocket s =
        (SSLSocket) (insecure ? insecureTls : tls).createSocket(plain, bare(host), port, true);
    SSLParameters p = s.getSSLParameters();
    if (!insecure) {
      p.setEndpointIdentificationAlgorithm("HTTPS");
    }
    p.setApplicationProtocols(new String[] {"http/1.1"});
    s.setSSLParameters(p);
    long left = Math.min(deadline.maxTimeLeft(), Duration.ofSeconds(60).toNanos());
    s.setSoTimeout((int) Math.max(1, left / 1_000_000));
    try {
      s.startHandshake();
    } catch (SSLHandshakeException e) {
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof CertificateException)) {
        cause = cause.getCause();
      }
      if (cause instanceof CertificateException) {
        throw new CurlError(60, "SSL certificate problem: " + cause.getMessage());
      }
      throw new CurlError(35, "TLS connect error: " + e.getMessage());
    } catch (SocketTimeoutException e) {
      deadline.check(0);
      throw new CurlError(28, "SSL connection timeout");
    } catch (SSLException e) {
      throw new CurlError(35, "TLS connect error: " + e.getMessage());
    }
    return s;
  }

  private Response read(InputStream in, boolean headRequest, BodyRoute route)
      throws IOException, CurlError {
    while (true) {
      String statusLine = line(in, true);
      if (statusLine == null) {
        throw new CurlError(52, "Empty reply from server");
      }
      if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
        throw new CurlError(1, "Received HTTP/0.9 when not allowed");
      }
      int status = status(statusLine);
      StringBuilder raw = new StringBuilder(statusLine).append("\r\n");
      Map<String, String> headers = headers(in, raw);
      if (status >= 100 && status < 200 && status != 101) {
        continue; // an interim answer: the real one follows
      }
      Response r = new Response(status, statusLine.substring(5, 8), raw.toString(), headers);
      Sink sink = route.route(r);
      if (sink != null && !headRequest && status >= 200 && status != 204 && status != 304) {
        body(in, headers, sink);
      }
      return r;
    }
  }

  private static int status(String statusLine) throws CurlError {
    try {
      return Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new CurlError(8, "Weird server reply");
    }
  }

  private Map<String, String> headers(InputStream in, StringBuilder raw)
      throws IOException, CurlError {
    Map<String, String> headers = new LinkedHashMap<>();
    while (true) {
      String h = line(in, false);
      if (h == null) {
        throw new CurlError(56, "Recv failure: the connection closed inside the headers");
      }
      raw.append(h).append("\r\n");
      if (h.isEmpty()) {
        return headers;
      }
      int colon = h.indexOf(':');
      if (colon > 0) {
        headers.put(
            h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
      }
    }
  }

  private void body(InputStream in, Map<String, String> headers, Sink sink)
      throws IOException, CurlError {
    String te = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
    if (te.contains("chunked")) {
      chunked(in, sink);
      return;
    }
    String cl = headers.get("content-length");
    long length = -1;
    if (cl != null) {
      try {
        length = Long.parseLong(cl.strip());
      } catch (NumberFormatException e) {
        throw new CurlError(8, "Invalid Content-Length: " + cl);
      }
    }
    byte[] buf = new byte[8192];
    long left = length;
    while (length < 0 || left > 0) {
      int n = in.read(buf, 0, length < 0 ? buf.length : (int) Math.min(buf.length, left));
      if (n < 0) {
        if (length >= 0) {
          throw new CurlError(18, "transfer closed with " + left + " bytes remaining to read");
        }
        return;
      }
      bodyBytes += n;
      left -= n;
      sink.write(buf, 0, n);
    }
  }

  private void chunked(InputStream in, Sink sink) throws IOException, CurlError {
    byte[] buf = new byte[8192];
    while (true) {
      String size = line(in, false);
      if (size == null) {
        throw new CurlError(18, "transfer closed with outstanding read data remaining");
      }
      long n;
      try {
        n = Long.parseLong(size.split(";", 2)[0].strip(), 16);
      } catch (NumberFormatException e) {
        throw new CurlError(56, "Illegal or missing hexadecimal sequence in chunked-encoding");
      }
      if (n == 0) {
        while (true) {
          String trailer = line(in, false);
          if (trailer == null || trailer.isEmpty()) {
            return;
          }
        }
      }
      while (n > 0) {
        int r = in.read(buf, 0, (int) Math.min(buf.length, n));
        if (r < 0) {
          throw new CurlError(18, "transfer closed with outstanding read data remaining");
        }
        bodyBytes += r;
        n -= r;
        sink.write(buf, 0, r);
      }
      line(in, false);
    }
  }

  /** A header line without its CRLF or LF; null at the end of the stream. */
  private String line(InputStream in, boolean first) throws IOException, CurlError {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
      }
      if (first && headerBytes == 0) {
        firstByteSeconds = deadline.elapsedSeconds();
      }
      headerBytes++;
      if (headerBytes > MAX_HEADER_BYTES) {
        throw new CurlError(100, "Too large response headers");
      }
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
  }

  /** The host without the brackets of an IPv6 literal. */
  static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static String message(IOException e) {
    if (e instanceof SocketException && e.getMessage() != null) {
      return e.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing more to do
    }
  }

  /** The socket's input, read in slices so that both limits are checked while it waits. */
  private static final class TimedInput extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private final Deadline deadline;
    private final HttpExchange exchange;
    private final byte[] one = new byte[1];
    private final byte[] buf = new byte[16384];
    private int pos;
    private int end;

    TimedInput(Socket socket, Deadline deadline, HttpExchange exchange) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.deadline = deadline;
      this.exchange = exchange;
    }

    @Override
    public int read() throws IOException {
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos == end && !fill()) {
        return -1;
      }
      int n = Math.min(len, end - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }

    private boolean fill() throws IOException {
      while (true) {
        try {
          deadline.check(exchange.bodyBytes);
        } catch (CurlError e) {
          throw new LimitReached(e);
        }
        socket.setSoTimeout(deadline.sliceMillis());
        try {
          int n = in.read(buf, 0, buf.length);
          if (n < 0) {
            return false;
          }
          pos = 0;
          end = n;
          return true;
        } catch (SocketTimeoutException e) {
          // look at the limits again
        }
      }
    }
  }

  /** {@code --max-time} passed while reading; unwrapped by {@link CurlClient}. */
  static final class LimitReached extends IOException {
    final CurlError error;

    LimitReached(CurlError error) {
      super(error.getMessage(), null);
      this.error = error;
    }
  }
}
