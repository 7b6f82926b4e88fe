package app.flagger.loadtester.curl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code grep} on standard input, as GNU grep: basic (default), extended ({@code -E}), fixed
 * ({@code -F}) or Perl-like ({@code -P}, Java syntax) patterns; {@code -i -v -w -x -q -c -o -n -s
 * -e}. Exit 0 when a line is selected, 1 when none is.
 */
final class Grep implements Filter {
  /** The options the built-in grep has, for messages and docs. */
  static final String SUPPORTED = "-q -i -v -E -F -G -P -c -o -n -w -x -s -e PATTERN";

  private final Pattern pattern;
  private final boolean invert;
  private final boolean quiet;
  private final boolean count;
  private final boolean only;
  private final boolean numbers;
  private final boolean wholeLine;

  private Grep(Pattern pattern, Options o) {
    this.pattern = pattern;
    this.invert = o.invert;
    this.quiet = o.quiet;
    this.count = o.count;
    this.only = o.only;
    this.numbers = o.numbers;
    this.wholeLine = o.line;
  }

  private static final class Options {
    boolean ignoreCase;
    boolean invert;
    boolean quiet;
    boolean count;
    boolean only;
    boolean numbers;
    boolean word;
    boolean line;
    char syntax = 'G';
    final List<String> patterns = new ArrayList<>();
  }

  /**
   * @param args the words after {@code grep}
   * @throws UnsupportedCommand for options it does not have, file arguments and bad patterns
   */
  static Grep parse(List<String> args) {
    Options o = new Options();
    List<String> operands = new ArrayList<>();
    boolean options = true;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (options && a.equals("--")) {
        options = false;
      } else if (options && a.startsWith("--")) {
        i = longOption(args, i, o);
      } else if (options && a.startsWith("-") && a.length() > 1) {
        i = shortOptions(args, i, o);
      } else {
        operands.add(a);
      }
    }
    if (o.patterns.isEmpty()) {
      if (operands.isEmpty()) {
        throw new UnsupportedCommand("grep without a pattern");
      }
      o.patterns.add(operands.removeFirst());
    }
    if (!operands.isEmpty()) {
      throw new UnsupportedCommand(
          "grep with file arguments ("
              + String.join(" ", operands)
              + "); the built-in grep reads only the output of the command before it");
    }
    return new Grep(compile(o), o);
  }

  private static int shortOptions(List<String> args, int i, Options o) {
    String a = args.get(i);
    for (int j = 1; j < a.length(); j++) {
      char c = a.charAt(j);
      if (c == 'e') {
        if (j + 1 < a.length()) {
          o.patterns.add(a.substring(j + 1));
          return i;
        }
        o.patterns.add(value(args, i + 1, "-e"));
        return i + 1;
      }
      flag(String.valueOf(c), o);
    }
    return i;
  }

  private static int longOption(List<String> args, int i, Options o) {
    String a = args.get(i);
    if (a.startsWith("--regexp=")) {
      o.patterns.add(a.substring("--regexp=".length()));
      return i;
    }
    if (a.equals("--regexp")) {
      o.patterns.add(value(args, i + 1, a));
      return i + 1;
    }
    flag(a, o);
    return i;
  }

  private static void flag(String f, Options o) {
    switch (f) {
      case "q", "--quiet", "--silent" -> o.quiet = true;
      case "i", "y", "--ignore-case" -> o.ignoreCase = true;
      case "v", "--invert-match" -> o.invert = true;
      case "c", "--count" -> o.count = true;
      case "o", "--only-matching" -> o.only = true;
      case "n", "--line-number" -> o.numbers = true;
      case "w", "--word-regexp" -> o.word = true;
      case "x", "--line-regexp" -> o.line = true;
      case "E", "--extended-regexp" -> o.syntax = 'E';
      case "F", "--fixed-strings" -> o.syntax = 'F';
      case "G", "--basic-regexp" -> o.syntax = 'G';
      case "P", "--perl-regexp" -> o.syntax = 'P';
      case "s", "--no-messages" -> {
        // no file errors can happen on standard input
      }
      default ->
          throw new UnsupportedCommand(
              "grep option "
                  + (f.startsWith("--") ? f : "-" + f)
                  + " is not supported (supported: "
                  + SUPPORTED
                  + ")");
    }
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new UnsupportedCommand("grep: option " + option + " requires an argument");
    }
    return args.get(i);
  }

  private static Pattern compile(Options o) {
    List<String> alternatives = new ArrayList<>();
    for (String p : o.patterns) {
      // a pattern with line breaks is one pattern per line, as in grep
      for (String one : p.split("\n", -1)) {
        String re =
            switch (o.syntax) {
              case 'F' -> Pattern.quote(one);
              case 'P' -> one;
              default -> PosixRegex.toJava(one, o.syntax == 'E');
            };
        if (o.word) {
          re = "(?<![\\p{Alnum}_])(?:" + re + ")(?![\\p{Alnum}_])";
        }
        alternatives.add("(?:" + re + ")");
      }
    }
    int flags = o.ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
    try {
      return Pattern.compile(String.join("|", alternatives), flags);
    } catch (PatternSyntaxException e) {
      throw new UnsupportedCommand(
          "grep pattern " + String.join(", ", o.patterns) + ": " + e.getDescription());
    }
  }

  @Override
  public Result apply(byte[] stdin) {
    String text = new String(stdin, StandardCharsets.UTF_8);
    List<String> lines = lines(text);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int selected = 0;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      Matcher m = pattern.matcher(line);
      boolean match = wholeLine ? m.matches() : m.find();
      if (match == invert) {
        continue;
      }
      selected++;
      if (quiet) {
        return new Result(0, new byte[0], "");
      }
      if (count) {
        continue;
      }
      String prefix = numbers ? (n + 1) + ":" : "";
      if (!only) {
        write(out, prefix + line);
      } else if (!invert) {
        onlyMatching(out, prefix, m, line);
      }
    }
    if (count) {
      write(out, Integer.toString(selected));
    }
    return new Result(selected > 0 ? 0 : 1, out.toByteArray(), "");
  }

  private void onlyMatching(ByteArrayOutputStream out, String prefix, Matcher m, String line) {
    if (wholeLine) {
      write(out, prefix + line);
      return;
    }
    m.reset();
    while (m.find()) {
      if (m.end() > m.start()) {
        write(out, prefix + line.substring(m.start(), m.end()));
      }
    }
  }

  private static void write(ByteArrayOutputStream out, String line) {
    out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Lines split at {@code \n}; a last line without one is still a line. */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.getLast().isEmpty()) {
      lines.removeLast();
    }
    return lines;
  }
}
