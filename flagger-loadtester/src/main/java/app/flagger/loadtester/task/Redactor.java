package app.flagger.loadtester.task;

import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials with {@code ***} in text the load tester logs or returns: command lines, their
 * output, error messages. The one place that knows what a secret looks like:
 *
 * <ul>
 *   <li>the value of every header given with {@code -H}, {@code --header}, {@code --proxy-header}
 *       or {@code -rpc-header}, except a few harmless ones ({@code Accept}, {@code Content-Type},
 *       {@code Host}, {@code User-Agent}, {@code X-Canary}, ...);
 *   <li>anywhere else, the value of {@code Authorization}, {@code Cookie} and headers whose name
 *       holds {@code token}, {@code key}, {@code secret}, {@code password}, {@code session}, {@code
 *       auth} ({@code X-Api-Key: ...}, also in JSON and in {@code curl -v} output lines);
 *   <li>the value of options so named ({@code --token x}, {@code --password=x}), of {@code
 *       name=value} pairs so named ({@code ?token=x}, {@code access_key=x}), of {@code -u}/{@code
 *       -a user:password} (the password), and {@code Bearer}/{@code Basic} credentials;
 *   <li>the user information of URLs ({@code http://user:pass@host} becomes {@code
 *       http://***@host}).
 * </ul>
 */
public final class Redactor {
  static final String MASK = "***";

  private static final String SECRET_WORD =
      "(?:token|secret|passw(?:or)?d|pass|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
          + "|auth|session|cookie|credential|signature)";

  private static final Set<String> HARMLESS_HEADERS =
      Set.of(
          "accept",
          "accept-encoding",
          "accept-language",
          "cache-control",
          "content-type",
          "host",
          "user-agent",
          "x-canary");

  private static final Pattern USERINFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/?#@\\s'\"]+@");

  /** A header option and the header name after it; the value follows. */
  private static final Pattern HEADER_OPTION =
      Pattern.compile(
          "(?i)(?<![\\w-])(?:-H|--header|--proxy-header|--?rpc-header)(?:=|\\s+)(['\"]?)"
              + "([\\w.-]+)\\s*:[ \\t]*");

  /**
   * A header with a secret-looking name anywhere: in output lines, quoted, in messages. A name
   * after a dot is a configuration key ({@code loadtester.auth.token-file: cannot read ...}), not a
   * header.
   */
  private static final Pattern SECRET_HEADER =
      Pattern.compile(
          "(?i)(?<![\\w.-])((?:proxy-)?authorization|[\\w-]*"
              + SECRET_WORD
              + "[\\w-]*)"
              + "[ \\t]*:[ \\t]*");

  private static final Pattern SECRET_JSON =
      Pattern.compile(
          "(?i)(\"[\\w-]*(?:authorization|" + SECRET_WORD + ")[\\w-]*\"\\s*:\\s*)\"[^\"]*\"");

  /** Options named like secrets, except switches that take no value (curl's, helm's). */
  private static final Pattern SECRET_OPTION =
      Pattern.compile(
          "(?i)(?<![\\w-])(?!--no-|--(?:proxy-)?anyauth\\b|--pass-credentials\\b)"
              + "(--?[\\w-]*"
              + SECRET_WORD
              + "[\\w-]*)(=|\\s+)(['\"]?)");

  private static final Pattern SECRET_PAIR =
      Pattern.compile(
          "(?i)(?<![\\w-])([\\w.-]*" + SECRET_WORD + "[\\w.-]*=)([^&\\s'\"#;,)\\]}>]+)");

  private static final Pattern USER_OPTION =
      Pattern.compile(
          "(?<![\\w-])(-u|--user|-U|--proxy-user|-a)(=|\\s+)(['\"]?)([^:\\s'\"/]*):(?!//)"
              + "([^\\s'\"]+)");

  private static final Pattern AUTH_SCHEME =
      Pattern.compile("(?i)bearer|basic|digest|negotiate|token|apikey|aws4-hmac-sha256");

  private static final Pattern SCHEME_CREDENTIAL =
      Pattern.compile("\\b((?i:bearer|basic))\\s+(?=\\S*[A-Z0-9+/=._~-])[A-Za-z0-9._~+/=-]{6,}");

  private Redactor() {}

  /** {@code text} with every credential it recognises replaced by {@code ***}. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String s = USERINFO.matcher(text).replaceAll("$1" + MASK + "@");
    s = values(s, HEADER_OPTION, 2, m -> !HARMLESS_HEADERS.contains(name(m, 2)), true);
    s = values(s, SECRET_HEADER, 1, m -> true, false);
    s = SECRET_JSON.matcher(s).replaceAll("$1\"" + MASK + "\"");
    s = values(s, SECRET_OPTION, 1, m -> true, true);
    s = SECRET_PAIR.matcher(s).replaceAll("$1" + MASK);
    s = USER_OPTION.matcher(s).replaceAll("$1$2$3$4:" + MASK);
    return SCHEME_CREDENTIAL.matcher(s).replaceAll("$1 " + MASK);
  }

  private static String name(Matcher m, int group) {
    return m.group(group).toLowerCase(Locale.ROOT);
  }

  /**
   * Masks the value that follows each match of {@code p}: up to the closing quote when the match
   * opened one (or stands right after one), else up to white space in a command line ({@code word})
   * or the end of the line in other text.
   */
  private static String values(
      String s, Pattern p, int nameGroup, Function<Matcher, Boolean> secret, boolean word) {
    Matcher m = p.matcher(s);
    StringBuilder out = new StringBuilder(s.length());
    int copied = 0;
    int from = 0;
    while (from < s.length() && m.find(from)) {
      int start = m.end();
      char quote = quoteBefore(s, m, nameGroup);
      int end = start;
      if (quote != 0) {
        while (end < s.length() && s.charAt(end) != quote && s.charAt(end) != '\n') {
          end++;
        }
      } else {
        boolean lineStart = !word && atLineStart(s, m.start(nameGroup));
        end = wordEnd(s, start, lineStart);
        if (!lineStart && AUTH_SCHEME.matcher(s.substring(start, end)).matches()) {
          // "Authorization: Bearer abc" in a message: the credential is the next word
          end = wordEnd(s, end, false);
        }
      }
      if (end > start && secret.apply(m) && !s.startsWith(MASK, start)) {
        out.append(s, copied, start).append(MASK);
        copied = end;
      }
      from = Math.max(end, m.end());
      if (from == m.start()) {
        from++;
      }
    }
    return out.append(s, copied, s.length()).toString();
  }

  /** The end of the word (or, at a line start, the line) from {@code from}, blanks first. */
  private static int wordEnd(String s, int from, boolean toLineEnd) {
    int end = from;
    while (end < s.length() && (s.charAt(end) == ' ' || s.charAt(end) == '\t')) {
      end++;
    }
    while (end < s.length()
        && s.charAt(end) != '\n'
        && (toLineEnd || !Character.isWhitespace(s.charAt(end)))) {
      end++;
    }
    return end;
  }

  /** The quote that opens the matched word: in the match, or right before the name. */
  private static char quoteBefore(String s, Matcher m, int nameGroup) {
    if (m.groupCount() >= 1 && nameGroup > 1 && !m.group(1).isEmpty()) {
      return m.group(1).charAt(0);
    }
    if (nameGroup == 1 && m.groupCount() >= 3 && m.group(3) != null && !m.group(3).isEmpty()) {
      return m.group(3).charAt(0);
    }
    int before = m.start(nameGroup) - 1;
    if (before >= 0 && (s.charAt(before) == '\'' || s.charAt(before) == '"')) {
      return s.charAt(before);
    }
    return 0;
  }

  /** True when only blanks and a {@code >}, {@code <} or {@code *} marker precede {@code at}. */
  private static boolean atLineStart(String s, int at) {
    for (int i = at - 1; i >= 0 && s.charAt(i) != '\n'; i--) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '>' && c != '<' && c != '*') {
        return false;
      }
    }
    return true;
  }
}
