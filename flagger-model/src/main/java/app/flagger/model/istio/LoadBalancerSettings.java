package app.flagger.model.istio;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Load balancing: a {@code simple} policy or a {@code consistentHash}, plus locality settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadBalancerSettings(
    String simple,
    ConsistentHash consistentHash,
    LocalityLbSetting localityLbSetting,
    String warmupDurationSecs) {

  /** Hash-based session stickiness. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ConsistentHash(
      String httpHeaderName,
      HttpCookie httpCookie,
      Boolean useSourceIp,
      String httpQueryParameterName,
      Integer minimumRingSize) {}

  /** The cookie a consistent hash is computed from. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HttpCookie(String name, String path, String ttl) {}

  /** Locality-weighted load balancing. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LocalityLbSetting(
      List<Distribute> distribute, Boolean enabled, List<Failover> failover) {}

  /** Traffic distribution from one locality to others, in percent. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Distribute(String from, Map<String, Integer> to) {}

  /** Failover from one region to another. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Failover(String from, String to) {}
}
