package app.flagger.model.logging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Puts a service's {@code java.util.logging} on {@link JsonLogFormatter} before anything logs: the
 * first call in each {@code main}. Every library logs through it (Helidon through {@code
 * System.Logger}, fabric8 through slf4j-jdk14), so the process writes one JSON object per line.
 */
public final class JsonLogging {
  static final String CONFIG_FILE = "java.util.logging.config.file";
  static final String CONFIG_CLASS = "java.util.logging.config.class";

  /**
   * Turns Helidon's own logging setup off (its JUL provider would otherwise apply a {@code
   * logging.properties} from the working directory or the classpath root over this one).
   */
  static final String HELIDON_CONFIG_DISABLED = "io.helidon.logging.config.disabled";

  private JsonLogging() {}

  /**
   * Applies the {@code logging.properties} in {@code app}'s package (JSON lines on stderr; a
   * resource beside the class, so another jar's on the same classpath never shadows it), unless the
   * JVM was started with its own {@code -Djava.util.logging.config.file} or {@code .config.class},
   * which the JDK has applied already; then logs uncaught exceptions (a thread's, or {@code
   * main}'s) as {@code error} lines with their stack trace instead of the JVM's plain "Exception in
   * thread" text.
   *
   * @throws IllegalStateException when that {@code logging.properties} is not on the classpath
   */
  public static void install(Class<?> app) {
    System.setProperty(HELIDON_CONFIG_DISABLED, "true");
    if (System.getProperty(CONFIG_FILE) == null && System.getProperty(CONFIG_CLASS) == null) {
      try (InputStream in = app.getResourceAsStream("logging.properties")) {
        if (in == null) {
          throw new IllegalStateException(
              app.getName()
                  + ": expected "
                  + app.getPackageName().replace('.', '/')
                  + "/logging.properties on the classpath");
        }
        LogManager.getLogManager().readConfiguration(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Logger log = Logger.getLogger(app.getName());
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) ->
            log.log(
                Level.SEVERE,
                e,
                () -> "uncaught exception in thread " + thread.getName() + ": " + e));
  }
}
