package app.flagger.loadtester.task;

import app.flagger.loadtester.load.DestinationPolicy;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Per-program rules for external commands the operator enabled ({@code loadtester.commands.*}).
 * Allowing a program by name would otherwise allow all it can do: {@code curl file:///...} reads
 * any file the load tester can, {@code helm --post-renderer} runs any program, {@code kubectl}
 * changes the cluster with the load tester's service account. A refused argument answers 400 naming
 * it.
 *
 * <ul>
 *   <li>{@code curl}: only the options of an allow-list; only {@code http://} and {@code https://}
 *       URLs, to destinations the generator may target (and pinned there with {@code --resolve});
 *       no redirects, proxies, config files, uploads, {@code @file} data, output files other than
 *       {@code /dev/null}; {@code --proto} may only narrow. Runs with {@code -q --proto =http,https
 *       --proto-redir =http,https} in front.
 *   <li>{@code helm}: no {@code --post-renderer}, no kubeconfig or API server override, no local
 *       {@code --values}/{@code --set-file} files, no output directories, no plugins.
 *   <li>{@code kubectl}: read-only verbs unless {@code loadtester.commands.kubectl.verbs} adds
 *       more; no server, identity or kubeconfig override; no local files or template files.
 * </ul>
 *
 * Other programs have no argument rules: allowing them is the operator's decision. Commands run
 * through a shell ({@code loadtester.commands.bash.enabled}) cannot be checked.
 */
public final class ArgumentRules {
  private static final Set<String> CURL_SHORT_SWITCHES =
      Set.of(
          "f", "g", "G", "I", "i", "j", "k", "N", "s", "S", "v", "0", "1", "2", "3", "4", "6", "Z",
          "#", "q");
  private static final Set<String> CURL_SHORT_VALUES =
      Set.of(
          "A", "b", "C", "d", "D", "e", "E", "F", "H", "m", "o", "r", "u", "w", "X", "y", "Y", "z");
  private static final Set<String> CURL_LONG_SWITCHES =
      Set.of(
          "silent",
          "show-error",
          "fail",
          "fail-with-body",
          "fail-early",
          "include",
          "head",
          "verbose",
          "insecure",
          "compressed",
          "get",
          "globoff",
          "http1.0",
          "http1.1",
          "http2",
          "http2-prior-knowledge",
          "http3",
          "no-buffer",
          "no-keepalive",
          "no-progress-meter",
          "progress-bar",
          "retry-connrefused",
          "retry-all-errors",
          "tcp-nodelay",
          "path-as-is",
          "raw",
          "ipv4",
          "ipv6",
          "basic",
          "digest",
          "anyauth",
          "ntlm",
          "negotiate",
          "tlsv1",
          "tlsv1.0",
          "tlsv1.1",
          "tlsv1.2",
          "tlsv1.3",
          "ssl-reqd",
          "disable",
          "no-sessionid",
          "junk-session-cookies",
          "parallel",
          "show-headers",
          "no-alpn",
          "no-npn");
  private static final Set<String> CURL_LONG_VALUES =
      Set.of(
          "data",
          "data-ascii",
          "data-binary",
          "data-raw",
          "data-urlencode",
          "json",
          "form",
          "form-string",
          "header",
          "user-agent",
          "referer",
          "user",
          "cookie",
          "max-time",
          "connect-timeout",
          "retry",
          "retry-delay",
          "retry-max-time",
          "request",
          "write-out",
          "output",
          "url",
          "max-filesize",
          "oauth2-bearer",
          "range",
          "limit-rate",
          "expect100-timeout",
          "keepalive-time",
          "cacert",
          "capath",
          "cert",
          "key",
          "cert-type",
          "key-type",
          "pass",
          "ciphers",
          "tls-max",
          "dump-header",
          "proto",
          "proto-redir",
          "proto-default",
          "speed-limit",
          "speed-time",
          "request-target",
          "continue-at",
          "happy-eyeballs-timeout-ms",
          "parallel-max",
          "time-cond");

  /** Options and short letters that are refused, with why. */
  private static final List<String[]> CURL_REFUSED =
      List.of(
          new String[] {"K config", "reads options from a file"},
          new String[] {"T upload-file", "uploads a local file"},
          new String[] {
            "O remote-name remote-name-all J remote-header-name output-dir" + " create-dirs",
            "writes files"
          },
          new String[] {
            "c cookie-jar etag-save hsts alt-svc trace trace-ascii stderr libcurl", "writes files"
          },
          new String[] {"n netrc netrc-file netrc-optional", "reads credentials from a file"},
          new String[] {
            "L location location-trusted",
            "follows redirects to destinations that" + " are not checked"
          },
          new String[] {
            "x proxy preproxy U proxy-user socks4 socks4a socks5 socks5-hostname"
                + " connect-to resolve unix-socket abstract-unix-socket doh-url interface",
            "sends the request elsewhere than its URL"
          },
          new String[] {": next variable", "starts a new set of options"});

  private static final Set<String> KUBECTL_READ_ONLY =
      Set.of(
          "get",
          "describe",
          "logs",
          "top",
          "wait",
          "rollout status",
          "rollout history",
          "version",
          "api-resources",
          "api-versions",
          "explain",
          "auth can-i",
          "auth whoami",
          "events",
          "cluster-info");
  private static final Set<String> KUBECTL_TWO_WORD = Set.of("rollout", "auth", "config", "top");
  private static final Set<String> KUBECTL_VALUE_FLAGS =
      Set.of(
          "-n",
          "--namespace",
          "--context",
          "--request-timeout",
          "-v",
          "--v",
          "--cache-dir",
          "-l",
          "--selector",
          "-o",
          "--output",
          "-c",
          "--container",
          "--field-selector");
  private static final Set<String> KUBECTL_REFUSED =
      Set.of(
          "--kubeconfig",
          "-s",
          "--server",
          "--token",
          "--as",
          "--as-group",
          "--as-uid",
          "--user",
          "--cluster",
          "--certificate-authority",
          "--client-certificate",
          "--client-key",
          "--tls-server-name",
          "--username",
          "--password",
          "--insecure-skip-tls-verify");
  private static final Set<String> KUBECTL_FILE_FLAGS =
      Set.of("-f", "--filename", "-k", "--kustomize");

  private static final Set<String> HELM_REFUSED =
      Set.of(
          "--post-renderer",
          "--post-renderer-args",
          "--kubeconfig",
          "--kube-apiserver",
          "--kube-token",
          "--kube-as-user",
          "--kube-as-group",
          "--kube-ca-file",
          "--kube-insecure-skip-tls-verify",
          "--kube-tls-server-name",
          "--set-file",
          "--registry-config",
          "--repository-config",
          "--repository-cache",
          "--output-dir",
          "--destination");

  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");
  private static final List<String> CURL_GUESSED =
      List.of("ftp.", "dict.", "ldap.", "imap.", "smtp.", "pop3.");

  private final Set<String> kubectlVerbs;
  private final DestinationPolicy destinations;

  /**
   * @param kubectlVerbs kubectl verbs allowed besides the read-only ones ({@code "rollout
   *     restart"}, {@code "apply"})
   * @param destinations where curl may go, or {@code null} to leave its hosts unchecked
   */
  public ArgumentRules(Set<String> kubectlVerbs, DestinationPolicy destinations) {
    this.kubectlVerbs = Set.copyOf(kubectlVerbs);
    this.destinations = destinations;
  }

  /**
   * Checks {@code argv} against the rules of its program.
   *
   * @return the argument vector to run (curl's with the protocol options in front)
   * @throws TaskRejected 400 naming the refused argument
   */
  public List<String> check(List<String> argv) {
    String program = argv.getFirst();
    String name = program.substring(program.lastIndexOf('/') + 1);
    List<String> args = argv.subList(1, argv.size());
    try {
      return switch (name) {
        case "curl" -> curl(program, args);
        case "helm" -> {
          helm(args);
          yield argv;
        }
        case "kubectl" -> {
          kubectl(args);
          yield argv;
        }
        default -> argv;
      };
    } catch (IllegalArgumentException e) {
      throw TaskRejected.badRequest(name + " " + e.getMessage());
    }
  }

  // ---- curl

  private List<String> curl(String program, List<String> args) {
    List<String> pins = new ArrayList<>();
    boolean urlsOnly = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (urlsOnly || !a.startsWith("-") || a.equals("-")) {
        curlUrl(a, pins);
      } else if (a.equals("--")) {
        urlsOnly = true;
      } else if (a.startsWith("--")) {
        String opt = a.substring(2);
        refuseCurl(opt, a);
        if (CURL_LONG_VALUES.contains(opt)) {
          curlValue(a, opt, value(args, ++i, a), pins);
        } else if (!CURL_LONG_SWITCHES.contains(opt)) {
          throw new IllegalArgumentException(a + ": option not allowed by the load tester");
        }
      } else {
        for (int j = 1; j < a.length(); j++) {
          String letter = a.substring(j, j + 1);
          refuseCurl(letter, "-" + letter);
          if (CURL_SHORT_VALUES.contains(letter)) {
            String v = j + 1 < a.length() ? a.substring(j + 1) : value(args, ++i, "-" + letter);
            curlValue("-" + letter, letter, v, pins);
            break;
          }
          if (!CURL_SHORT_SWITCHES.contains(letter)) {
            throw new IllegalArgumentException(
                "-" + letter + ": option not allowed by the load tester");
          }
        }
      }
    }
    List<String> out = new ArrayList<>();
    out.add(program);
    out.addAll(List.of("-q", "--proto", "=http,https", "--proto-redir", "=http,https"));
    out.addAll(pins);
    out.addAll(args);
    return out;
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + ": needs a value");
    }
    return args.get(i);
  }

  private static void refuseCurl(String option, String as) {
    for (String[] r : CURL_REFUSED) {
      if (List.of(r[0].split(" ")).contains(option)) {
        throw new IllegalArgumentException(as + ": " + r[1] + "; not allowed by the load tester");
      }
    }
  }

  private void curlValue(String as, String opt, String v, List<String> pins) {
    switch (opt) {
      case "o", "output", "D", "dump-header" -> {
        if (!v.equals("/dev/null") && !v.equals("-")) {
          throw new IllegalArgumentException(
              as + " " + v + ": writes a file; only /dev/null (or -) is allowed");
        }
      }
      case "d", "data", "data-ascii", "data-binary", "json", "H", "header" -> noFile(as, v, v);
      case "data-urlencode" -> {
        int eq = v.indexOf('=');
        noFile(as, v, eq < 0 ? v.replaceFirst("^[^@]*(?=@)", "") : "");
      }
      case "F", "form" -> {
        int eq = v.indexOf('=');
        String content = eq < 0 ? "" : v.substring(eq + 1);
        if (content.startsWith("@") || content.startsWith("<")) {
          throw new IllegalArgumentException(as + " " + v + ": reads a local file; not allowed");
        }
      }
      case "w", "write-out" -> {
        noFile(as, v, v);
        if (v.contains("%output{")) {
          throw new IllegalArgumentException(as + " " + v + ": writes a file; not allowed");
        }
      }
      case "b", "cookie" -> {
        if (!v.contains("=")) {
          throw new IllegalArgumentException(
              as + " " + v + ": reads cookies from a file; give name=value pairs");
        }
      }
      case "proto", "proto-redir" -> narrowing(as, v);
      case "proto-default" -> {
        if (!v.equals("http") && !v.equals("https")) {
          throw new IllegalArgumentException(as + " " + v + ": only http or https");
        }
      }
      case "url" -> curlUrl(v, pins);
      default -> {
        // free values: methods, timeouts, user agents, certificates
      }
    }
  }

  private static void noFile(String as, String v, String checked) {
    if (checked.startsWith("@")) {
      throw new IllegalArgumentException(as + " " + v + ": reads a local file; not allowed");
    }
  }

  /** {@code --proto} may take protocols away, never add one other than http and https. */
  private static void narrowing(String as, String v) {
    for (String token : v.split(",")) {
      String t = token.trim().toLowerCase(Locale.ROOT);
      if (t.isEmpty() || t.startsWith("-")) {
        continue;
      }
      String proto = t.replaceFirst("^[+=]", "");
      if (!proto.equals("http") && !proto.equals("https")) {
        throw new IllegalArgumentException(
            as + " " + v + ": may only narrow the protocols to http and https");
      }
    }
  }

  private void curlUrl(String url, List<String> pins) {
    String rest = url;
    String scheme = "http";
    int sep = url.indexOf("://");
    if (sep >= 0) {
      scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
      rest = url.substring(sep + 3);
    } else {
      var m = SCHEME.matcher(url);
      if (m.find() && !url.substring(m.end()).matches("\\d.*")) {
        throw new IllegalArgumentException(
            "\"" + url + "\": only http:// and https:// URLs are allowed");
      }
      String lower = url.toLowerCase(Locale.ROOT);
      if (CURL_GUESSED.stream().anyMatch(lower::startsWith)) {
        throw new IllegalArgumentException(
            "\"" + url + "\": curl would not use HTTP for this host; write http:// or https://");
      }
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "\"" + url + "\": only http:// and https:// URLs are allowed");
    }
    if (destinations == null) {
      return;
    }
    String authority = rest.split("[/?#]", 2)[0];
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    String host;
    String port = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      host = close < 0 ? authority : authority.substring(0, close + 1);
      if (close >= 0 && authority.startsWith(":", close + 1)) {
        port = authority.substring(close + 2);
      }
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? null : authority.substring(colon + 1);
    }
    if (host.isEmpty() || (!host.startsWith("[") && host.matches(".*[{}\\[*].*"))) {
      throw new IllegalArgumentException(
          "\"" + url + "\": the host must be written out (no globbing) so it can be checked");
    }
    int p;
    try {
      p =
          port == null || port.isEmpty()
              ? (scheme.equals("https") ? 443 : 80)
              : Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + url + "\": invalid port " + port);
    }
    InetAddress a = destinations.check(host, p);
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
      String addr = a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
      pins.add("--resolve");
      pins.add(host + ":" + p + ":" + addr);
    }
  }

  // ---- helm

  private static void helm(List<String> args) {
    if (!args.isEmpty() && args.getFirst().equals("plugin")) {
      throw new IllegalArgumentException("plugin: installs and runs programs; not allowed");
    }
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String opt = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (HELM_REFUSED.contains(opt)) {
        throw new IllegalArgumentException(opt + ": " + helmWhy(opt) + "; not allowed");
      }
      if (opt.equals("-f") || opt.equals("--values") || a.startsWith("-f") && !a.startsWith("--")) {
        String v =
            a.contains("=")
                ? a.substring(a.indexOf('=') + 1)
                : a.length() > 2 && !a.startsWith("--") ? a.substring(2) : value(args, ++i, opt);
        if (!v.matches("(?i)https?://.*")) {
          throw new IllegalArgumentException(
              opt + " " + v + ": reads a local file; only http(s) URLs are allowed");
        }
      }
    }
  }

  private static String helmWhy(String opt) {
    return switch (opt) {
      case "--post-renderer", "--post-renderer-args" -> "runs a local program";
      case "--set-file" -> "reads a local file into the values";
      case "--output-dir", "--destination" -> "writes files";
      case "--registry-config", "--repository-config", "--repository-cache" ->
          "reads configuration from a local file";
      default -> "overrides the cluster or identity helm uses";
    };
  }

  // ---- kubectl

  private void kubectl(List<String> args) {
    List<String> words = new ArrayList<>();
    String fileFlag = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("-")) {
        words.add(a);
        continue;
      }
      boolean inline = a.contains("=");
      String opt = inline ? a.substring(0, a.indexOf('=')) : a;
      if (KUBECTL_REFUSED.contains(opt)) {
        throw new IllegalArgumentException(
            opt + ": overrides the cluster or identity kubectl uses; not allowed");
      }
      boolean attached = opt.startsWith("-o") && !opt.startsWith("--") && opt.length() > 2;
      if (opt.equals("-o") || opt.equals("--output") || attached) {
        String v =
            inline
                ? a.substring(a.indexOf('=') + 1)
                : attached ? opt.substring(2) : i + 1 < args.size() ? args.get(i + 1) : "";
        if (v.contains("-file")) {
          throw new IllegalArgumentException(
              opt + " " + v + ": reads a template from a local file; not allowed");
        }
      }
      if (KUBECTL_FILE_FLAGS.contains(opt)) {
        fileFlag = opt;
      }
      boolean takesValue = KUBECTL_VALUE_FLAGS.contains(opt) || KUBECTL_FILE_FLAGS.contains(opt);
      if (takesValue && !inline && !attached) {
        i++;
      }
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException("needs a verb");
    }
    String one = words.getFirst();
    String two = words.size() > 1 ? one + " " + words.get(1) : one;
    boolean widened = kubectlVerbs.contains(one) || kubectlVerbs.contains(two);
    if (!widened && !KUBECTL_READ_ONLY.contains(one) && !KUBECTL_READ_ONLY.contains(two)) {
      String verb = KUBECTL_TWO_WORD.contains(one) ? two : one;
      throw new IllegalArgumentException(
          verb
              + ": only read-only verbs (get, describe, logs, top, wait, rollout status, version,"
              + " api-resources, explain, auth can-i, ...) are allowed; add \""
              + verb
              + "\" to loadtester.commands.kubectl.verbs to allow it");
    }
    if (fileFlag != null && !widened) {
      throw new IllegalArgumentException(
          fileFlag
              + ": reads local files or URLs; allowed only with verbs added to"
              + " loadtester.commands.kubectl.verbs");
    }
  }
}
