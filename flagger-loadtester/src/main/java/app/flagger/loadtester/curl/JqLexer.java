package app.flagger.loadtester.curl;

import java.util.ArrayList;
import java.util.List;

/** Splits a jq filter into tokens; jq syntax outside the built-in subset is refused by name. */
final class JqLexer {
  enum Kind {
    /** {@code .name} or {@code ."name"}: the text is the name. */
    FIELD,
    STRING,
    NUMBER,
    WORD,
    PUNCT
  }

  record Token(Kind kind, String text) {
    /** True for the punctuation or keyword ({@code and}, {@code or}) {@code p}. */
    boolean is(String p) {
      return (kind == Kind.PUNCT || kind == Kind.WORD) && text.equals(p);
    }
  }

  private static final List<String> OPERATORS =
      List.of("==", "!=", "<=", ">=", "//", "<", ">", "|", "(", ")", "[", "]", "?", ",", ":", ".");

  private final String text;
  private final List<Token> tokens = new ArrayList<>();
  private int i;

  private JqLexer(String text) {
    this.text = text;
  }

  static List<Token> tokens(String text) {
    return new JqLexer(text).run();
  }

  private List<Token> run() {
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '.' && i + 1 < text.length() && isNameStart(text.charAt(i + 1))) {
        i++;
        tokens.add(new Token(Kind.FIELD, name()));
      } else if (c == '.' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
        i++;
        tokens.add(new Token(Kind.FIELD, string()));
      } else if (c == '.' && text.startsWith("..", i)) {
        throw refused("recursive descent ..");
      } else if (c == '"') {
        tokens.add(new Token(Kind.STRING, string()));
      } else if (Character.isDigit(c) || (c == '-' && negativeNumber())) {
        tokens.add(new Token(Kind.NUMBER, number()));
      } else if (isNameStart(c)) {
        tokens.add(new Token(Kind.WORD, name()));
      } else {
        punct(c);
      }
    }
    return tokens;
  }

  private void punct(char c) {
    for (String op : OPERATORS) {
      if (text.startsWith(op, i)) {
        tokens.add(new Token(Kind.PUNCT, op));
        i += op.length();
        return;
      }
    }
    throw refused(
        switch (c) {
          case '$' -> "variables ($name)";
          case '{' -> "object construction { }";
          case '+', '-', '*', '/', '%' -> "arithmetic (" + c + ")";
          case '=' -> "assignment (=)";
          case ';' -> "functions of several arguments (;)";
          case '@' -> "formats (@base64, @csv, ...)";
          case '#' -> "comments (#)";
          default -> "the character " + c;
        });
  }

  /** A minus sign starts a number unless a value stands before it (then it is a subtraction). */
  private boolean negativeNumber() {
    if (i + 1 >= text.length() || !Character.isDigit(text.charAt(i + 1))) {
      return false;
    }
    if (tokens.isEmpty()) {
      return true;
    }
    Token last = tokens.getLast();
    return last.kind() == Kind.PUNCT && !last.is(")") && !last.is("]") && !last.is(".");
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private String name() {
    int start = i;
    while (i < text.length()
        && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
      i++;
    }
    return text.substring(start, i);
  }

  private String number() {
    int start = i;
    if (text.charAt(i) == '-') {
      i++;
    }
    while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
      i++;
    }
    if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      i++;
      if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
        i++;
      }
      while (i < text.length() && Character.isDigit(text.charAt(i))) {
        i++;
      }
    }
    String n = text.substring(start, i);
    try {
      new java.math.BigDecimal(n);
    } catch (NumberFormatException e) {
      throw new UnsupportedCommand("jq filter " + text + ": bad number " + n);
    }
    return n;
  }

  /** A string literal from its opening quote, with JSON escapes; {@code \(...)} is refused. */
  private String string() {
    StringBuilder sb = new StringBuilder();
    i++;
    while (i < text.length()) {
      char c = text.charAt(i++);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (i >= text.length()) {
        break;
      }
      char e = text.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          if (i + 4 > text.length()) {
            throw new UnsupportedCommand("jq filter " + text + ": bad \\u escape");
          }
          try {
            sb.append((char) Integer.parseInt(text.substring(i, i + 4), 16));
          } catch (NumberFormatException ex) {
            throw new UnsupportedCommand("jq filter " + text + ": bad \\u escape");
          }
          i += 4;
        }
        case '(' -> throw refused("string interpolation \\(...)");
        default -> throw new UnsupportedCommand("jq filter " + text + ": bad escape \\" + e);
      }
    }
    throw new UnsupportedCommand("jq filter " + text + ": unterminated string");
  }

  private UnsupportedCommand refused(String what) {
    return new UnsupportedCommand(
        "jq " + what + " in " + text + " (the built-in jq has: " + JqFilter.SUPPORTED + ")");
  }
}
