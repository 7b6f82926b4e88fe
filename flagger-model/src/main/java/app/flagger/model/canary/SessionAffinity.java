package app.flagger.model.canary;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Cookie-based session affinity during a canary run (Istio and Gateway API). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionAffinity(
    String cookieName,
    String primaryCookieName,
    String domain,
    Boolean httpOnly,
    Integer maxAge,
    Boolean partitioned,
    String path,
    String sameSite,
    Boolean secure) {

  /** Default cookie lifetime in seconds. */
  public static final int DEFAULT_MAX_AGE = 86400;

  /** The cookie lifetime, 86400 seconds when missing or zero. */
  public int maxAgeOrDefault() {
    return maxAge == null || maxAge <= 0 ? DEFAULT_MAX_AGE : maxAge;
  }
}
