package app.flagger.controller.notifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Files holding the global notifiers' secrets, one value each (the keys of a mounted Secret): the
 * {@code flagger.slack.*-file} and {@code flagger.msteams.*-file} settings. An empty path means the
 * setting is not used. A file that does not exist, or holds only white space, leaves the plain
 * value in force: the Secret is mounted as optional, so a missing Secret or key turns that notifier
 * setting off rather than stopping the controller.
 *
 * @param slackUrl {@code flagger.slack.url-file}
 * @param slackToken {@code flagger.slack.token-file}
 * @param slackProxy {@code flagger.slack.proxy-url-file}
 * @param msteamsUrl {@code flagger.msteams.url-file}
 * @param msteamsProxy {@code flagger.msteams.proxy-url-file}
 */
public record NotifierSecretFiles(
    String slackUrl, String slackToken, String slackProxy, String msteamsUrl, String msteamsProxy) {

  /** No files: every notifier secret is a plain value. */
  public static final NotifierSecretFiles NONE = new NotifierSecretFiles("", "", "", "", "");

  public NotifierSecretFiles {
    slackUrl = slackUrl == null ? "" : slackUrl.trim();
    slackToken = slackToken == null ? "" : slackToken.trim();
    slackProxy = slackProxy == null ? "" : slackProxy.trim();
    msteamsUrl = msteamsUrl == null ? "" : msteamsUrl.trim();
    msteamsProxy = msteamsProxy == null ? "" : msteamsProxy.trim();
  }

  /** Whether any file is configured. */
  public boolean any() {
    return !byKey().isEmpty();
  }

  /** The configured files by their configuration key, in a fixed order. */
  public Map<String, String> byKey() {
    Map<String, String> files = new LinkedHashMap<>();
    put(files, "flagger.slack.url-file", slackUrl);
    put(files, "flagger.slack.token-file", slackToken);
    put(files, "flagger.slack.proxy-url-file", slackProxy);
    put(files, "flagger.msteams.url-file", msteamsUrl);
    put(files, "flagger.msteams.proxy-url-file", msteamsProxy);
    return files;
  }

  /**
   * Fails at start-up on a file that exists but cannot be read (a directory, no permission), so a
   * broken mount shows at once; a missing file is fine (the optional Secret is absent).
   *
   * @throws IllegalArgumentException naming the key and the path
   */
  public void checkReadable() {
    byKey()
        .forEach(
            (key, file) -> {
              Path path = Path.of(file);
              if (Files.exists(path) && !(Files.isRegularFile(path) && Files.isReadable(path))) {
                throw new IllegalArgumentException(
                    key + ": cannot read " + file + ": expected a readable file");
              }
            });
  }

  /**
   * The value in {@code file}, trimmed; empty when no file is configured, the file does not exist
   * or holds only white space.
   *
   * @param key the setting, named in the error
   * @throws NotifierException naming the key and the path when the file exists but cannot be read
   */
  static Optional<String> read(String key, String file) throws NotifierException {
    if (file.isEmpty()) {
      return Optional.empty();
    }
    Path path = Path.of(file);
    if (!Files.exists(path)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(path, StandardCharsets.UTF_8).trim())
          .filter(s -> !s.isEmpty());
    } catch (IOException e) {
      throw new NotifierException(key + ": cannot read " + file + ": " + e, e);
    }
  }

  private static void put(Map<String, String> files, String key, String file) {
    if (!file.isEmpty()) {
      files.put(key, file);
    }
  }
}
