package app.flagger.controller.metrics.providers;

import app.flagger.model.common.GoDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * Amazon CloudWatch's {@code GetMetricData}, Flagger's {@code CloudWatchProvider}. The query is a
 * JSON array of {@code MetricDataQuery} ({@link CloudWatchQuery}); the window is the last ten
 * metric intervals, at most 20 data points; the value is the first value of the first result, and a
 * response without one is {@link NoValuesFoundException}. Range queries (the judge's series) ask
 * for the window and read the one returned result's values.
 */
public final class CloudWatchProvider implements MetricsProvider {
  /** Flagger's {@code cloudWatchStartDeltaMultiplierOnMetricInterval}. */
  static final int LOOK_BACK_INTERVALS = 10;

  /** The {@code MaxDatapoints} of every query. */
  static final int MAX_DATAPOINTS = 20;

  private static final String CREDENTIALS =
      "the controller's AWS credentials (default chain: IRSA web identity, AWS_* environment,"
          + " instance role)";

  private final CloudWatchClient client;
  private final String region;
  private final Duration lookBack;
  private final Clock clock;

  /**
   * @param client the SDK client of the template's region
   * @param region the template's {@code spec.provider.region}, for messages
   * @param metricInterval the Canary metric's {@code interval} (Go duration)
   * @param clock where "now" comes from
   */
  CloudWatchProvider(CloudWatchClient client, String region, String metricInterval, Clock clock)
      throws MetricsProviderException {
    this.client = client;
    this.region = region;
    this.lookBack = lookBack(metricInterval);
    this.clock = clock;
  }

  /** Ten metric intervals; an interval that is not a Go duration fails as Flagger's. */
  static Duration lookBack(String metricInterval) throws MetricsProviderException {
    Duration interval =
        GoDuration.parse(metricInterval == null ? "" : metricInterval)
            .orElseThrow(
                () ->
                    new MetricsProviderException(
                        "error parsing metric interval: time: invalid duration \""
                            + metricInterval
                            + "\""));
    return interval.multipliedBy(LOOK_BACK_INTERVALS);
  }

  @Override
  public double runQuery(String query) throws MetricsProviderException {
    Instant end = clock.instant();
    GetMetricDataResponse response =
        call(
            GetMetricDataRequest.builder()
                .metricDataQueries(CloudWatchQuery.parse(query))
                .startTime(end.minus(lookBack))
                .endTime(end)
                .maxDatapoints(MAX_DATAPOINTS)
                .build());
    List<MetricDataResult> results = response.metricDataResults();
    if (results.isEmpty()) {
      throw new NoValuesFoundException().wrap("invalid response: " + response + ": ");
    }
    List<Double> values = results.get(0).values();
    if (values.isEmpty() || values.get(0) == null) {
      throw new NoValuesFoundException().wrap("invalid response " + response + ": ");
    }
    return values.get(0);
  }

  private GetMetricDataResponse call(GetMetricDataRequest request) throws MetricsProviderException {
    try {
      return client.getMetricData(request);
    } catch (AwsServiceException e) {
      throw new MetricsProviderException("error requesting cloudwatch: " + describe(e), e);
    } catch (SdkException e) {
      throw new MetricsProviderException("error requesting cloudwatch: " + describe(e), e);
    }
  }

  @Override
  public boolean supportsRangeQueries() {
    return true;
  }

  /**
   * The queries over the window ({@code StartTime} and {@code EndTime} its ends, no {@code
   * MaxDatapoints}); the points' spacing is the queries' {@code Period}. The values of the one
   * returned result ordered by its {@code Timestamps}; no result is an empty sample, several (more
   * than one query with {@code ReturnData} true, its default) a {@link MultipleValuesException}.
   */
  @Override
  public double[] runRangeQuery(String query, RangeWindow window) throws MetricsProviderException {
    GetMetricDataResponse response =
        call(
            GetMetricDataRequest.builder()
                .metricDataQueries(CloudWatchQuery.parse(query))
                .startTime(window.start())
                .endTime(window.end())
                .build());
    List<MetricDataResult> results = response.metricDataResults();
    if (results.size() > 1) {
      throw new MultipleValuesException(
          "range query returned "
              + results.size()
              + " series, expected one (set ReturnData false on all queries but one)");
    }
    if (results.isEmpty()) {
      return new double[0];
    }
    MetricDataResult result = results.get(0);
    List<Instant> times = result.timestamps();
    List<Double> values = result.values();
    if (times.size() != values.size()) {
      throw new MetricsProviderException(
          "invalid response " + response + ": Timestamps and Values differ in length");
    }
    TimedValues points = new TimedValues();
    for (int i = 0; i < values.size(); i++) {
      Double value = values.get(i);
      points.add(times.get(i).toEpochMilli(), value == null ? Double.NaN : value);
    }
    return points.values();
  }

  /**
   * An empty {@code GetMetricData} call: an answer, or CloudWatch's 400 for the empty request,
   * means CloudWatch is reachable with these credentials; anything else (403 for missing
   * permissions, 5xx, no connection) is the reason it is not.
   */
  @Override
  public boolean isOnline() throws MetricsProviderException {
    try {
      client.getMetricData(
          GetMetricDataRequest.builder()
              .metricDataQueries(List.of())
              .startTime(Instant.EPOCH)
              .endTime(Instant.EPOCH)
              .build());
      return true;
    } catch (AwsServiceException e) {
      if (e.statusCode() == 400) {
        return true;
      }
      throw new MetricsProviderException("unexpected status code: " + describe(e), e);
    } catch (SdkException e) {
      throw new MetricsProviderException("unexpected error: " + describe(e), e);
    }
  }

  /** The SDK's reason; when it found no credentials, where the controller looks for them. */
  private static String describe(SdkException e) {
    String text = e.getMessage();
    if (text != null && text.contains("Unable to load credentials")) {
      text += "; " + CREDENTIALS;
    }
    return text;
  }

  /**
   * CloudWatch's error code, status and message; a refusal says which permission the controller's
   * credentials lack.
   */
  private String describe(AwsServiceException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    String code = details == null || details.errorCode() == null ? "" : details.errorCode();
    String message =
        details == null || details.errorMessage() == null ? e.getMessage() : details.errorMessage();
    String text =
        (code.isEmpty() ? "" : code + ": ")
            + message
            + " (status code: "
            + e.statusCode()
            + ", request id: "
            + e.requestId()
            + ")";
    if (e.statusCode() == 403 || code.startsWith("AccessDenied")) {
      text += "; " + CREDENTIALS + " must allow cloudwatch:GetMetricData in region " + region;
    }
    return text;
  }
}
