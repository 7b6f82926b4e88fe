package app.flagger.loadtester;

import app.flagger.loadtester.task.ConfinedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads {@code hey -D} request bodies, but only from the directory the operator named in {@code
 * loadtester.load.body-file-dir}: otherwise a webhook could send any file the load tester can read
 * (its token, for one) to a URL of its choice.
 */
final class BodyFiles {
  private static final long MAX_BYTES = 16L << 20;

  private BodyFiles() {}

  static Function<String, byte[]> reader(Optional<Path> dir) {
    return file -> {
      if (dir.isEmpty()) {
        throw new IllegalArgumentException(
            "hey -D reads a local file, which is disabled: set loadtester.load.body-file-dir to a"
                + " directory of request bodies to allow it");
      }
      Path p = ConfinedFile.resolve(dir.get(), file, "hey -D", "loadtester.load.body-file-dir");
      try {
        if (Files.size(p) > MAX_BYTES) {
          throw new IllegalArgumentException("hey -D: " + file + " is larger than 16 MiB");
        }
        return Files.readAllBytes(p);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "hey -D: cannot read " + file + ": " + e.getMessage(), e);
      }
    };
  }
}
