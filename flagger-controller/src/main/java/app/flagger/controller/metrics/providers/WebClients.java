package app.flagger.controller.metrics.providers;

import app.flagger.controller.client.HostPermits;
import app.flagger.model.common.GoDuration;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.WebClient;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Helidon clients of the HTTP metric providers, kept across checks and ticks, and the bound on
 * requests in flight to one origin ({@link #IN_FLIGHT}): one per origin ({@code
 * scheme://authority}), timeout and TLS trust. A provider is still built per check (its query,
 * credentials and headers are per check), but its client is not: a Helidon {@link WebClient} loads
 * its protocol providers when built, which cost more CPU than the request itself once hundreds of
 * Canaries query Prometheus every interval. A client holds no per-request state and is safe to
 * share. At most {@link #MAX} are kept, the least recently used dropped first (a dropped client
 * holds nothing to close: its connections live in Helidon's shared connection cache).
 */
final class WebClients {
  /** The most clients kept. */
  static final int MAX = 256;

  /**
   * The most requests in flight to one metrics origin, across every Canary (Prometheus itself runs
   * at most 20 queries at once by default, {@code --query.max-concurrency}, and queues the rest).
   */
  static final int IN_FLIGHT = 32;

  private static final HostPermits PERMITS = new HostPermits(IN_FLIGHT);

  private record Key(String origin, Duration timeout, boolean insecureSkipVerify) {}

  private static final Map<Key, WebClient> CLIENTS =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, WebClient> eldest) {
          return size() > MAX;
        }
      };

  private WebClients() {}

  /** The client of {@code address}'s origin: no redirects, {@code timeout} on connect and read. */
  static WebClient of(URI address, Duration timeout, boolean insecureSkipVerify) {
    Key key =
        new Key(
            address.getScheme() + "://" + address.getRawAuthority(), timeout, insecureSkipVerify);
    synchronized (CLIENTS) {
      WebClient client = CLIENTS.get(key);
      if (client == null) {
        client = build(key);
        CLIENTS.put(key, client);
      }
      return client;
    }
  }

  /**
   * A permit to send to {@code origin}, waited for up to {@code wait} (the request's timeout).
   *
   * @throws MetricsProviderException when {@link #IN_FLIGHT} requests stayed in flight all along
   */
  static HostPermits.Permit permit(String origin, Duration wait) throws MetricsProviderException {
    try {
      HostPermits.Permit permit = PERMITS.acquire(origin, wait);
      if (permit == null) {
        throw new MetricsProviderException(
            "request failed: "
                + IN_FLIGHT
                + " requests to "
                + origin
                + " still in flight after "
                + GoDuration.format(wait));
      }
      return permit;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetricsProviderException(
          "request failed: interrupted while waiting to send to " + origin);
    }
  }

  /** How many clients are kept (tests). */
  static int size() {
    synchronized (CLIENTS) {
      return CLIENTS.size();
    }
  }

  private static WebClient build(Key key) {
    var builder =
        WebClient.builder()
            .baseUri(key.origin())
            .connectTimeout(key.timeout())
            .readTimeout(key.timeout())
            .followRedirects(false);
    if (key.insecureSkipVerify()) {
      builder.tls(
          Tls.builder()
              .trustAll(true)
              .endpointIdentificationAlgorithm(Tls.ENDPOINT_IDENTIFICATION_NONE)
              .build());
    }
    return builder.build();
  }
}
