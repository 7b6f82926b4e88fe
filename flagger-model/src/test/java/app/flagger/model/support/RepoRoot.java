package app.flagger.model.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from a test's working directory (a module or the root itself). */
public final class RepoRoot {
  private RepoRoot() {}

  public static Path find() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("flagger-model"))
          && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root above " + dir);
  }
}
