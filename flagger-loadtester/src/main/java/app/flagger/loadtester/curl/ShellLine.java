package app.flagger.loadtester.curl;

import app.flagger.loadtester.load.CommandLine;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into the words of each command of a pipeline ({@code a | b | c}) as a POSIX
 * shell would: one quote-aware pass cuts it at unquoted pipes, drops line continuations and refuses
 * by name every other shell feature outside quotes (lists, redirections, substitutions, variables,
 * subshells, comments, home and brace expansion), since no shell runs the line; {@link
 * CommandLine#split} then splits each command into words.
 */
final class ShellLine {
  private ShellLine() {}

  /**
   * @return the words of each command, in pipeline order
   * @throws UnsupportedCommand naming the shell feature the line uses
   */
  static List<List<String>> pipeline(String line) {
    List<String> commands = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    boolean wordStart = true;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      char next = i + 1 < line.length() ? line.charAt(i + 1) : 0;
      boolean escaped = false;
      if (quote == '\'') {
        quote = c == '\'' ? 0 : quote;
      } else if (c == '\\' && next == '\n') {
        i++; // a line continuation, in or out of double quotes
        continue;
      } else if (c == '\\' && next != 0) {
        cur.append(c);
        c = next;
        escaped = true;
        i++;
      } else if (quote == '"') {
        if (c == '$' || c == '`') {
          throw new UnsupportedCommand(substitution(c));
        }
        quote = c == '"' ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '|') {
        pipe(line, i, cur, commands);
        wordStart = true;
        continue;
      } else {
        unquoted(c, wordStart);
      }
      cur.append(c);
      wordStart = !escaped && quote == 0 && (c == ' ' || c == '\t');
    }
    if (quote != 0) {
      throw new UnsupportedCommand("unterminated " + quote + " quote");
    }
    commands.add(cur.toString());
    List<List<String>> stages = new ArrayList<>();
    for (String command : commands) {
      List<String> words = CommandLine.split(command);
      if (words.isEmpty()) {
        throw new UnsupportedCommand(
            stages.isEmpty() ? "an empty command" : "a pipe | without a command after it");
      }
      stages.add(words);
    }
    return stages;
  }

  private static void pipe(String line, int i, StringBuilder cur, List<String> commands) {
    char next = i + 1 < line.length() ? line.charAt(i + 1) : 0;
    if (next == '|') {
      throw new UnsupportedCommand("the shell operator || (run a command when one fails)");
    }
    if (next == '&') {
      throw new UnsupportedCommand("the shell operator |& (pipe standard error)");
    }
    if (cur.isEmpty() || cur.toString().isBlank()) {
      throw new UnsupportedCommand("a pipe | without a command before it");
    }
    commands.add(cur.toString());
    cur.setLength(0);
  }

  private static void unquoted(char c, boolean wordStart) {
    String refused =
        switch (c) {
          case '&' -> "the shell operators & and && (background jobs, command lists)";
          case ';' -> "the shell operator ; (several commands)";
          case '\n', '\r' -> "several lines (each line is a command)";
          case '<', '>' -> "the redirection " + c + " (only curl's own -o /dev/null is supported)";
          case '(', ')' -> "subshells ( )";
          case '$', '`' -> substitution(c);
          case '#' -> wordStart ? "comments (#)" : null;
          case '~' -> wordStart ? "home directory expansion (~)" : null;
          case '{', '}' -> "brace expansion { } (quote the braces)";
          default -> null;
        };
    if (refused != null) {
      throw new UnsupportedCommand(refused);
    }
  }

  private static String substitution(char c) {
    return c == '$' ? "$ (variables and command substitution)" : "` (command substitution)";
  }
}
