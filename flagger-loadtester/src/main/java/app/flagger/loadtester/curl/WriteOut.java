package app.flagger.loadtester.curl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * curl's {@code -w}/{@code --write-out} format: text with {@code \n}, {@code \r}, {@code \t} and
 * {@code %%} escapes, {@code %{variable}} and {@code %header{name}}.
 */
public final class WriteOut {
  /** The {@code %{...}} variables the built-in curl knows. */
  public static final Set<String> VARIABLES =
      Set.of(
          "http_code",
          "response_code",
          "http_version",
          "method",
          "scheme",
          "url_effective",
          "content_type",
          "num_redirects",
          "size_download",
          "size_header",
          "remote_ip",
          "remote_port",
          "time_total",
          "time_connect",
          "time_starttransfer",
          "exitcode",
          "errormsg");

  private sealed interface Part permits Text, Variable, HeaderValue {}

  private record Text(String text) implements Part {}

  private record Variable(String name) implements Part {}

  private record HeaderValue(String name) implements Part {}

  private final List<Part> parts;

  private WriteOut(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /**
   * @throws UnsupportedCommand for {@code @file} and for variables not in {@link #VARIABLES}
   */
  public static WriteOut parse(String format) {
    if (format.startsWith("@")) {
      throw new UnsupportedCommand("curl -w @file (reading the format from a file)");
    }
    List<Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c == '\\' && i + 1 < format.length()) {
        char n = format.charAt(i + 1);
        switch (n) {
          case 'n' -> text.append('\n');
          case 'r' -> text.append('\r');
          case 't' -> text.append('\t');
          default -> text.append(c).append(n);
        }
        i += 2;
      } else if (format.startsWith("%%", i)) {
        text.append('%');
        i += 2;
      } else if (format.startsWith("%{", i) || format.startsWith("%header{", i)) {
        boolean header = format.startsWith("%header{", i);
        int open = format.indexOf('{', i);
        int close = format.indexOf('}', open);
        if (close < 0) {
          text.append(format, i, format.length());
          break;
        }
        String name = format.substring(open + 1, close);
        if (!header && !VARIABLES.contains(name)) {
          throw new UnsupportedCommand(
              "the curl -w variable %{"
                  + name
                  + "} (supported: "
                  + String.join(", ", VARIABLES.stream().sorted().toList())
                  + ", %header{name})");
        }
        parts.add(new Text(text.toString()));
        text.setLength(0);
        parts.add(header ? new HeaderValue(name.toLowerCase(Locale.ROOT)) : new Variable(name));
        i = close + 1;
      } else {
        text.append(c);
        i++;
      }
    }
    parts.add(new Text(text.toString()));
    return new WriteOut(parts);
  }

  /**
   * @param variables the value of each variable
   * @param headers the last response's header value by lower-case name, empty when absent
   */
  String render(Function<String, String> variables, Function<String, String> headers) {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      switch (p) {
        case Text t -> sb.append(t.text());
        case Variable v -> sb.append(variables.apply(v.name()));
        case HeaderValue h -> sb.append(headers.apply(h.name()));
      }
    }
    return sb.toString();
  }
}
