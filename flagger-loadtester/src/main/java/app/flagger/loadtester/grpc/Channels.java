package app.flagger.loadtester.grpc;

import app.flagger.loadtester.load.TrustAll;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Opens and closes grpc-java channels (one TCP connection each) for the gRPC tools. */
final class Channels {
  private Channels() {}

  /**
   * A channel to {@code target}. Callbacks run on the transport's threads ({@code directExecutor}):
   * the listeners of the tools only count and start the next call.
   *
   * @param authority {@code :authority} override, or {@code null}
   */
  static ManagedChannel open(
      GrpcTarget target, TlsOptions tls, String authority, String userAgent) {
    ManagedChannelBuilder<?> b =
        Grpc.newChannelBuilderForAddress(target.host(), target.port(), credentials(tls))
            .directExecutor()
            .userAgent(userAgent)
            // one attempt per call: the tools count failures, they do not hide them
            .disableRetry();
    String override = authority != null ? authority : tls.serverName();
    if (override != null) {
      b.overrideAuthority(override);
    }
    return b.build();
  }

  private static ChannelCredentials credentials(TlsOptions tls) {
    if (!tls.enabled()) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
    if (tls.skipVerify()) {
      b.trustManager(TrustAll.trustManager());
    } else if (tls.caCert() != null) {
      try {
        b.trustManager(new ByteArrayInputStream(tls.caCert()));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the CA certificates: " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  /** Shuts {@code channel} down at once and waits a little for its threads to let go. */
  static void close(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
