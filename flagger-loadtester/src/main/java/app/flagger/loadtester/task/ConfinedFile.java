package app.flagger.loadtester.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files a webhook may name, confined to one directory the operator configured. */
public final class ConfinedFile {
  private ConfinedFile() {}

  /**
   * Resolves {@code file} (relative to {@code dir}, or absolute) and checks that it lies inside
   * {@code dir}, symbolic links followed.
   *
   * @param field how the webhook names the file, for messages ({@code hey -D}, {@code apiKeyPath})
   * @param setting the setting that names the directory, for messages
   * @throws IllegalArgumentException when the file is outside the directory
   */
  public static Path resolve(Path dir, String file, String field, String setting) {
    Path base = dir.toAbsolutePath().normalize();
    Path p = base.resolve(file).normalize();
    try {
      if (!p.startsWith(base)
          || (Files.exists(p) && !p.toRealPath().startsWith(base.toRealPath()))) {
        throw new IllegalArgumentException(field + ": " + file + " is outside " + setting);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          field + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    return p;
  }
}
