package app.flagger.loadtester.grpc;

import java.time.Duration;

/**
 * Upper bounds of a {@code ghz} run, checked when the command line is read so that a request over a
 * bound is refused with the flag and the bound.
 *
 * @param maxConcurrency most workers ({@code -c}) and connections ({@code --connections})
 * @param maxRate most requests per second ({@code --rps}, {@code -q})
 * @param maxDuration longest run ({@code -z}, {@code -x})
 */
public record GrpcLimits(int maxConcurrency, double maxRate, Duration maxDuration) {
  /** 1,000 workers, 10,000 requests per second, one hour. */
  public static final GrpcLimits DEFAULTS = new GrpcLimits(1_000, 10_000, Duration.ofHours(1));
}
