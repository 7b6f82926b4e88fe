package app.flagger.model.alert;

import app.flagger.model.common.SecretReference;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Where and as whom alerts are posted: {@code spec} of an AlertProvider. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertProviderSpec(
    String type,
    String channel,
    String username,
    String address,
    String proxy,
    SecretReference secretRef) {

  /** The channel, {@code general} by default. */
  public String channelOrDefault() {
    return channel == null || channel.isEmpty() ? "general" : channel;
  }

  /** The user name, {@code flagger} by default. */
  public String usernameOrDefault() {
    return username == null || username.isEmpty() ? "flagger" : username;
  }
}
