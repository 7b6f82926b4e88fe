package app.flagger.grafana.client;

/** A failed Grafana API call, classified so callers can decide to wait, re-read or give up. */
public final class GrafanaException extends RuntimeException {

  /** What went wrong, from the caller's point of view. */
  public enum Kind {
    /** Grafana is not reachable or not ready yet (connection refused, timeout, 5xx). */
    UNAVAILABLE,
    /** 401: the credentials are wrong. */
    UNAUTHORIZED,
    /** 403: the user or token lacks the permission. */
    FORBIDDEN,
    /** 409/412: someone else changed the object; re-read and retry. */
    CONFLICT,
    /** Any other rejection (400, 404 on write, ...). */
    REJECTED
  }

  private final Kind kind;
  private final int status;

  public GrafanaException(Kind kind, int status, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when there was no response. */
  public int status() {
    return status;
  }

  /** Whether waiting and trying again may help without anyone changing anything. */
  public boolean transientFailure() {
    return kind == Kind.UNAVAILABLE || kind == Kind.CONFLICT;
  }

  /** Builds the exception for an HTTP error answer, with an explanation for the common cases. */
  static GrafanaException forStatus(String what, int status, String body) {
    String detail = body == null || body.isBlank() ? "" : ": " + abbreviate(body);
    return switch (status) {
      case 401 ->
          new GrafanaException(
              Kind.UNAUTHORIZED,
              status,
              what
                  + " was rejected with 401 Unauthorized: check the admin user and password"
                  + " (grafana.user / grafana.password or password-file) or the service-account"
                  + " token"
                  + detail,
              null);
      case 403 ->
          new GrafanaException(
              Kind.FORBIDDEN,
              status,
              what
                  + " was rejected with 403 Forbidden: the user or token needs the Admin role"
                  + " (datasources) or Editor (dashboards)"
                  + detail,
              null);
      case 409, 412 ->
          new GrafanaException(
              Kind.CONFLICT,
              status,
              what
                  + " hit a version conflict ("
                  + status
                  + "): the object changed in Grafana meanwhile; re-read it and retry"
                  + detail,
              null);
      default ->
          status >= 500 || status == 429
              ? new GrafanaException(
                  Kind.UNAVAILABLE,
                  status,
                  what + " failed with " + status + ": Grafana is not ready yet" + detail,
                  null)
              : new GrafanaException(
                  Kind.REJECTED, status, what + " was rejected with " + status + detail, null);
    };
  }

  /** Builds the exception for a call that got no answer. */
  static GrafanaException unreachable(String what, String url, Throwable cause) {
    String reason =
        hasCause(cause, java.net.ConnectException.class)
            ? "connection refused: Grafana is not up yet"
            : "no answer (" + rootMessage(cause) + "): Grafana is not up yet or not reachable";
    return new GrafanaException(Kind.UNAVAILABLE, 0, what + " at " + url + ": " + reason, cause);
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : " " + c.getMessage());
  }

  private static String abbreviate(String body) {
    String oneLine = body.replaceAll("\\s+", " ").trim();
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
  }
}
