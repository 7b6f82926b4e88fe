package app.flagger.loadtester.curl;

import java.util.Map;

/**
 * Translates POSIX basic (BRE, with GNU's {@code \+ \? \|}) and extended (ERE) regular expressions
 * into Java's syntax: characters special in one and literal in the other are escaped, bracket
 * expressions and their {@code [:class:]}es are rewritten, {@code \< \>} become word boundaries.
 */
final class PosixRegex {
  private static final Map<String, String> CLASSES =
      Map.ofEntries(
          Map.entry("alpha", "\\p{Alpha}"),
          Map.entry("digit", "0-9"),
          Map.entry("alnum", "\\p{Alnum}"),
          Map.entry("upper", "\\p{Upper}"),
          Map.entry("lower", "\\p{Lower}"),
          Map.entry("space", "\\s\\x0B"),
          Map.entry("blank", " \\t"),
          Map.entry("punct", "\\p{Punct}"),
          Map.entry("print", "\\p{Print}"),
          Map.entry("graph", "\\p{Graph}"),
          Map.entry("cntrl", "\\p{Cntrl}"),
          Map.entry("xdigit", "0-9A-Fa-f"));

  private final String re;
  private final boolean extended;
  private final StringBuilder out = new StringBuilder();
  private int i;

  private PosixRegex(String re, boolean extended) {
    this.re = re;
    this.extended = extended;
  }

  /**
   * @throws UnsupportedCommand for constructs without a Java equivalent here
   */
  static String toJava(String re, boolean extended) {
    return new PosixRegex(re, extended).translate();
  }

  private String translate() {
    while (i < re.length()) {
      char c = re.charAt(i);
      if (c == '\\') {
        escape();
      } else if (c == '[') {
        bracket();
      } else {
        plain(c);
        i++;
      }
    }
    return out.toString();
  }

  private void plain(char c) {
    if ("(){}|+?".indexOf(c) >= 0) {
      if (extended) {
        out.append(c == '{' ? interval() : String.valueOf(c));
      } else {
        out.append('\\').append(c);
      }
    } else if (c == '*' && !extended && atStart()) {
      out.append("\\*"); // a leading * is literal in a BRE
    } else if (c == '^' && !extended && i > 0 && !afterGroupStart()) {
      out.append("\\^");
    } else if (c == '$'
        && !extended
        && i < re.length() - 1
        && !re.startsWith("\\)", i + 1)
        && !re.startsWith("\\|", i + 1)) {
      out.append("\\$");
    } else {
      out.append(c);
    }
  }

  /** An ERE interval, with {@code {,n}} written as Java's {@code {0,n}}. */
  private String interval() {
    if (re.startsWith("{,", i)) {
      i++;
      return "{0,";
    }
    return "{";
  }

  private boolean atStart() {
    return i == 0 || afterGroupStart() || (i == 1 && re.charAt(0) == '^');
  }

  private boolean afterGroupStart() {
    return re.startsWith("\\(", i - 2) || re.startsWith("\\|", i - 2);
  }

  private void escape() {
    if (i + 1 >= re.length()) {
      throw new UnsupportedCommand("grep pattern " + re + ": trailing backslash");
    }
    char n = re.charAt(i + 1);
    i += 2;
    if ("(){}|+?".indexOf(n) >= 0) {
      if (extended) {
        out.append('\\').append(n);
      } else {
        out.append(n == '{' && re.startsWith(",", i) ? "{0" : String.valueOf(n));
      }
    } else if (n == '<' || n == '>') {
      out.append("\\b");
    } else if ("bBwWsS".indexOf(n) >= 0 || Character.isDigit(n)) {
      out.append('\\').append(n);
    } else if (".*[]^$\\/-".indexOf(n) >= 0) {
      out.append('\\').append(n);
    } else {
      throw new UnsupportedCommand(
          "grep pattern " + re + ": \\" + n + " is not a POSIX escape (use a bracket expression)");
    }
  }

  /** {@code [...]}: a leading {@code ]} is literal, backslashes are literal, classes rewritten. */
  private void bracket() {
    int start = i;
    i++;
    StringBuilder b = new StringBuilder("[");
    if (i < re.length() && re.charAt(i) == '^') {
      b.append('^');
      i++;
    }
    boolean first = true;
    while (i < re.length()) {
      char c = re.charAt(i);
      if (c == ']' && !first) {
        out.append(b).append(']');
        i++;
        return;
      }
      first = false;
      if (c == '[' && i + 1 < re.length() && re.charAt(i + 1) == ':') {
        int end = re.indexOf(":]", i + 2);
        String name = end < 0 ? null : re.substring(i + 2, end);
        String cls = name == null ? null : CLASSES.get(name);
        if (cls == null) {
          throw new UnsupportedCommand("grep pattern " + re + ": unknown character class");
        }
        b.append(cls);
        i = end + 2;
      } else if (c == '[' && i + 1 < re.length() && "=.".indexOf(re.charAt(i + 1)) >= 0) {
        throw new UnsupportedCommand(
            "grep pattern " + re + ": equivalence classes and collating symbols");
      } else {
        if ("[]\\&^".indexOf(c) >= 0) {
          b.append('\\');
        }
        b.append(c);
        i++;
      }
    }
    throw new UnsupportedCommand("grep pattern " + re.substring(start) + ": unmatched [");
  }
}
