package app.flagger.controller.metrics.providers;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * CloudWatch clients of the AWS SDK, one per region and request timeout, kept for the life of the
 * controller (an SDK client is thread safe and holds the refreshed credentials). Requests go
 * through the SDK's blocking {@code java.net.URLConnection} client; failed calls are retried at
 * most {@value #MAX_RETRIES} times, as Flagger's session. Credentials come from the SDK's default
 * chain: system properties, {@code AWS_*} environment, web identity token (IRSA, EKS Pod Identity),
 * profile files, container and instance roles.
 */
public final class CloudWatchClients {
  /** Flagger's {@code cloudWatchMaxRetries}. */
  static final int MAX_RETRIES = 3;

  private final AwsCredentialsProvider credentials;
  private final URI endpoint;
  private final BackoffStrategy backoff;
  private final Map<String, CloudWatchClient> clients = new ConcurrentHashMap<>();

  private CloudWatchClients(
      AwsCredentialsProvider credentials, URI endpoint, BackoffStrategy backoff) {
    this.credentials = credentials;
    this.endpoint = endpoint;
    this.backoff = backoff;
  }

  /** The production clients: AWS endpoints, default credentials chain, the SDK's backoff. */
  public static CloudWatchClients standard() {
    return new CloudWatchClients(null, null, null);
  }

  /**
   * Clients of one fixed endpoint and credentials that retry without waiting: tests point them at a
   * stub.
   */
  public static CloudWatchClients at(URI endpoint, AwsCredentialsProvider credentials) {
    return new CloudWatchClients(credentials, endpoint, BackoffStrategy.retryImmediately());
  }

  /** The client of {@code region}; a call, retries included, is bounded by {@code timeout}. */
  CloudWatchClient client(String region, Duration timeout) throws MetricsProviderException {
    try {
      return clients.computeIfAbsent(region + "/" + timeout, k -> build(region, timeout));
    } catch (SdkException | IllegalArgumentException e) {
      throw new MetricsProviderException("error creating aws session: " + e.getMessage(), e);
    }
  }

  private CloudWatchClient build(String region, Duration timeout) {
    StandardRetryStrategy.Builder retries =
        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_RETRIES + 1);
    if (backoff != null) {
      retries.backoffStrategy(backoff).throttlingBackoffStrategy(backoff);
    }
    StandardRetryStrategy strategy = retries.build();
    var builder =
        CloudWatchClient.builder()
            .region(Region.of(region))
            .credentialsProvider(
                credentials != null ? credentials : DefaultCredentialsProvider.builder().build())
            .httpClientBuilder(
                UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
            .overrideConfiguration(o -> o.retryStrategy(strategy).apiCallTimeout(timeout));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }
}
