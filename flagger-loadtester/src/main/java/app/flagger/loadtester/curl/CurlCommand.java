package app.flagger.loadtester.curl;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code curl} command line: the options acceptance tests use, each with curl's meaning.
 * Options that would read or write local files, or that this implementation does not have, are
 * refused by name.
 *
 * @param url the URL as written (a missing scheme means {@code http://})
 * @param method {@code -X}, or empty for GET, POST with data, HEAD with {@code -I}
 * @param headers {@code -H}, {@code -A}, {@code -e}, {@code -b}, {@code -u} in order; a header
 *     without value ({@code "Accept:"}) removes curl's own
 * @param data the request body from {@code -d}/{@code --data-*}/{@code --json}, empty for none
 * @param silent {@code -s}: no error messages unless {@code -S}
 * @param fail {@code -f} or {@code --fail-with-body}: exit 22 on HTTP status 400 and above
 * @param discardBody {@code -o /dev/null}
 * @param writeOut {@code -w}, empty for none
 * @param maxTime {@code -m}, null for none
 * @param connectTimeout {@code --connect-timeout}, null for curl's 300 s
 */
public record CurlCommand(
    String url,
    Optional<String> method,
    List<Header> headers,
    Optional<byte[]> data,
    boolean get,
    boolean silent,
    boolean showError,
    Fail fail,
    boolean discardBody,
    Optional<WriteOut> writeOut,
    Duration maxTime,
    Duration connectTimeout,
    boolean follow,
    int maxRedirects,
    boolean insecure,
    boolean include,
    boolean head,
    boolean json) {

  /** What {@code -f} does with the body of a failed request. */
  public enum Fail {
    NO,
    /** {@code -f}: no body, exit 22. */
    FAIL,
    /** {@code --fail-with-body}: body written, exit 22. */
    WITH_BODY
  }

  /** A request header; {@code value == null} removes curl's default header of that name. */
  public record Header(String name, String value) {}

  public CurlCommand {
    headers = List.copyOf(headers);
  }

  /** True when an error message is written ({@code -s} without {@code -S} hides it). */
  public boolean showsErrors() {
    return !silent || showError;
  }

  private static final Map<Character, String> SHORT =
      Map.ofEntries(
          Map.entry('s', "--silent"),
          Map.entry('S', "--show-error"),
          Map.entry('f', "--fail"),
          Map.entry('L', "--location"),
          Map.entry('k', "--insecure"),
          Map.entry('i', "--include"),
          Map.entry('I', "--head"),
          Map.entry('G', "--get"),
          Map.entry('g', "--globoff"),
          Map.entry('d', "--data"),
          Map.entry('H', "--header"),
          Map.entry('X', "--request"),
          Map.entry('o', "--output"),
          Map.entry('w', "--write-out"),
          Map.entry('m', "--max-time"),
          Map.entry('u', "--user"),
          Map.entry('A', "--user-agent"),
          Map.entry('b', "--cookie"),
          Map.entry('e', "--referer"));

  private static final List<String> WITH_VALUE =
      List.of(
          "--data",
          "--data-raw",
          "--data-binary",
          "--data-ascii",
          "--json",
          "--header",
          "--request",
          "--output",
          "--write-out",
          "--max-time",
          "--connect-timeout",
          "--max-redirs",
          "--user",
          "--user-agent",
          "--cookie",
          "--referer",
          "--url");

  /** The options the built-in curl has, for messages and docs. */
  public static final String SUPPORTED =
      "-s -S -f --fail-with-body -L -k -i -I -G -g -d --data-raw --data-binary --data-ascii"
          + " --json -H -X -o /dev/null -w -m --connect-timeout --max-redirs -u -A -b -e --url"
          + " --no-progress-meter --http1.1";

  /**
   * @param args the words after {@code curl}
   * @throws UnsupportedCommand naming the option or value that is not supported
   */
  public static CurlCommand parse(List<String> args) {
    Builder b = new Builder();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--")) {
        if (WITH_VALUE.contains(a)) {
          b.option(a, value(args, ++i, a));
        } else {
          b.flag(a);
        }
      } else if (a.startsWith("-") && a.length() > 1) {
        i = shortOptions(args, i, b);
      } else {
        b.url(a);
      }
    }
    return b.build();
  }

  /** Expands {@code -sSd 'x'}, {@code -XPOST}, {@code -o/dev/null}; returns the last index used. */
  private static int shortOptions(List<String> args, int i, Builder b) {
    String a = args.get(i);
    for (int j = 1; j < a.length(); j++) {
      char c = a.charAt(j);
      String name = SHORT.get(c);
      if (name == null) {
        throw new UnsupportedCommand(
            "curl option -" + c + " is not supported (supported: " + SUPPORTED + ")");
      }
      if (WITH_VALUE.contains(name)) {
        if (j + 1 < a.length()) {
          b.option(name, a.substring(j + 1));
          return i;
        }
        b.option(name, value(args, ++i, "-" + c));
        return i;
      }
      b.flag(name);
    }
    return i;
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new UnsupportedCommand("curl: option " + option + ": requires parameter");
    }
    return args.get(i);
  }

  private static final class Builder {
    private String url;
    private String method;
    private final List<Header> headers = new ArrayList<>();
    private final List<String> data = new ArrayList<>();
    private boolean json;
    private boolean get;
    private boolean silent;
    private boolean showError;
    private Fail fail = Fail.NO;
    private boolean discard;
    private WriteOut writeOut;
    private Duration maxTime;
    private Duration connectTimeout;
    private boolean follow;
    private int maxRedirects = 50;
    private boolean insecure;
    private boolean include;
    private boolean head;
    private boolean globOff;

    void flag(String name) {
      switch (name) {
        case "--silent" -> silent = true;
        case "--show-error" -> showError = true;
        case "--fail" -> fail = fail == Fail.NO ? Fail.FAIL : fail;
        case "--fail-with-body" -> fail = Fail.WITH_BODY;
        case "--location" -> follow = true;
        case "--insecure" -> insecure = true;
        case "--include" -> include = true;
        case "--head" -> head = true;
        case "--get" -> get = true;
        case "--globoff" -> globOff = true;
        case "--no-progress-meter", "--http1.1" -> {
          // no progress meter is ever written; HTTP/1.1 is the only version spoken
        }
        default ->
            throw new UnsupportedCommand(
                "curl option " + name + " is not supported (supported: " + SUPPORTED + ")");
      }
    }

    void option(String name, String v) {
      switch (name) {
        case "--data", "--data-ascii", "--data-binary" -> data.add(literal(name, v));
        case "--data-raw" -> data.add(v);
        case "--json" -> {
          json = true;
          data.add(literal(name, v));
        }
        case "--header" -> header(v);
        case "--request" -> method = v;
        case "--output" -> output(v);
        case "--write-out" -> writeOut = WriteOut.parse(v);
        case "--max-time" -> maxTime = seconds(name, v);
        case "--connect-timeout" -> connectTimeout = seconds(name, v);
        case "--max-redirs" -> maxRedirects = redirects(v);
        case "--user" -> user(v);
        case "--user-agent" -> headers.add(new Header("User-Agent", v));
        case "--cookie" -> cookie(v);
        case "--referer" -> referer(v);
        case "--url" -> url(v);
        default -> throw new IllegalStateException(name);
      }
    }

    void url(String u) {
      if (url != null) {
        throw new UnsupportedCommand("several URLs in one curl command (" + url + ", " + u + ")");
      }
      url = u;
    }

    private static String literal(String option, String v) {
      if (v.startsWith("@")) {
        throw new UnsupportedCommand(
            "curl " + option + " @file (reading data from a file or standard input)");
      }
      return v;
    }

    private void header(String h) {
      if (h.startsWith("@")) {
        throw new UnsupportedCommand("curl -H @file (reading headers from a file)");
      }
      if (h.indexOf('\n') >= 0 || h.indexOf('\r') >= 0) {
        throw new UnsupportedCommand("a line break in a curl -H header");
      }
      int colon = h.indexOf(':');
      int semi = h.indexOf(';');
      Header header = null;
      if (colon > 0 && (semi < 0 || colon < semi)) {
        String value = h.substring(colon + 1).strip();
        header = new Header(h.substring(0, colon).strip(), value.isEmpty() ? null : value);
      } else if (semi > 0 && h.substring(semi + 1).isBlank()) {
        header = new Header(h.substring(0, semi).strip(), "");
      }
      if (header == null) {
        return; // curl ignores a header that has neither
      }
      String name = header.name().toLowerCase(Locale.ROOT);
      if (name.equals("content-length") || name.equals("transfer-encoding")) {
        throw new UnsupportedCommand(
            "curl -H '" + header.name() + ": ...' (the built-in curl frames the body itself)");
      }
      headers.add(header);
    }

    private void output(String v) {
      if (!v.equals("/dev/null")) {
        throw new UnsupportedCommand(
            "curl -o " + v + " (writing files; only -o /dev/null is supported)");
      }
      discard = true;
    }

    private void user(String v) {
      int colon = v.indexOf(':');
      if (colon < 0) {
        throw new UnsupportedCommand("curl -u without a password (curl would prompt for it)");
      }
      String token = Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
      headers.add(new Header("Authorization", "Basic " + token));
    }

    private void cookie(String v) {
      if (v.indexOf('=') < 0) {
        throw new UnsupportedCommand("curl -b " + v + " (reading cookies from a file)");
      }
      headers.add(new Header("Cookie", v));
    }

    private void referer(String v) {
      if (v.contains(";auto")) {
        throw new UnsupportedCommand("curl -e ';auto' (automatic referer)");
      }
      headers.add(new Header("Referer", v));
    }

    private static Duration seconds(String option, String v) {
      try {
        double s = Double.parseDouble(v.strip());
        if (s < 0 || Double.isNaN(s) || Double.isInfinite(s)) {
          throw new NumberFormatException(v);
        }
        return Duration.ofNanos((long) (s * 1e9));
      } catch (NumberFormatException e) {
        throw new UnsupportedCommand(
            "curl: option " + option + ": expected a proper numerical parameter, got " + v);
      }
    }

    private static int redirects(String v) {
      try {
        int n = Integer.parseInt(v.strip());
        return n < 0 ? Integer.MAX_VALUE : n;
      } catch (NumberFormatException e) {
        throw new UnsupportedCommand(
            "curl: option --max-redirs: expected a proper numerical parameter, got " + v);
      }
    }

    CurlCommand build() {
      if (url == null) {
        throw new UnsupportedCommand("curl: no URL specified");
      }
      checkUrl(url, globOff);
      if (head && !data.isEmpty() && !get) {
        throw new UnsupportedCommand("curl: you can only select one HTTP request method (-I)");
      }
      Optional<byte[]> body =
          data.isEmpty()
              ? Optional.empty()
              : Optional.of(String.join(json ? "" : "&", data).getBytes(StandardCharsets.UTF_8));
      return new CurlCommand(
          url,
          Optional.ofNullable(method),
          headers,
          body,
          get,
          silent,
          showError,
          fail,
          discard,
          Optional.ofNullable(writeOut),
          maxTime,
          connectTimeout,
          follow,
          maxRedirects,
          insecure,
          include,
          head,
          json);
    }
  }

  /** Only http and https, and no URL globbing ({@code []} and {@code {}}) unless {@code -g}. */
  private static void checkUrl(String url, boolean globOff) {
    int sep = url.indexOf("://");
    if (sep >= 0) {
      String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new UnsupportedCommand(
            "the URL scheme " + scheme + ": (only http:// and https:// URLs are supported)");
      }
    }
    String rest = sep >= 0 ? url.substring(sep + 3) : url;
    if (rest.startsWith("[")) {
      // an IPv6 literal host
      rest = rest.substring(Math.max(rest.indexOf(']') + 1, 1));
    }
    if (!globOff && rest.chars().anyMatch(c -> "[]{}".indexOf(c) >= 0)) {
      throw new UnsupportedCommand(
          "curl URL globbing ([ ] and { } in " + url + "; add -g to send them as they are)");
    }
  }
}
