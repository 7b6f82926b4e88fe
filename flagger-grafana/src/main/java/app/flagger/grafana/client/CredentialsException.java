package app.flagger.grafana.client;

/** The credentials for Grafana could not be resolved (missing setting, unreadable file). */
public final class CredentialsException extends RuntimeException {
  public CredentialsException(String message, Throwable cause) {
    super(message, cause);
  }
}
