package app.flagger.loadtester.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words the way a POSIX shell would for simple commands (single and
 * double quotes, backslash escapes), without running a shell. Lines that use shell features (pipes,
 * redirections, substitutions, several commands) are reported by {@link #needsShell(String)}.
 */
public final class CommandLine {
  private CommandLine() {}

  /**
   * Splits {@code line} into words.
   *
   * @throws IllegalArgumentException when a quote is not closed
   */
  public static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\'
            && i + 1 < line.length()
            && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
          cur.append(line.charAt(++i));
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        cur.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unterminated " + quote + " quote in command");
    }
    if (inWord) {
      words.add(cur.toString());
    }
    return words;
  }

  /**
   * True when the line uses a shell feature outside quotes: {@code | & ; < > ( ) $ `}, or several
   * commands, so it cannot be run as a plain argument vector.
   */
  public static boolean needsShell(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        quote = c == '\'' ? 0 : quote;
      } else if (c == '\\') {
        i++;
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '$' || c == '`') {
          return true;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if ("|&;<>()$`\n".indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }
}
