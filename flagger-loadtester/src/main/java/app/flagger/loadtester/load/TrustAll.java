package app.flagger.loadtester.load;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * An SSL context that accepts any server certificate and host name, for {@code hey} command lines
 * (hey never verifies), load checks with {@code insecureSkipVerify}, the built-in {@code curl -k},
 * and the trust manager itself for ghz's {@code --skipTLS}. Only load and check traffic uses it.
 */
public final class TrustAll extends X509ExtendedTrustManager {
  private TrustAll() {}

  /** A trust manager that accepts any server certificate and host name. */
  public static X509ExtendedTrustManager trustManager() {
    return new TrustAll();
  }

  public static SSLContext sslContext() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new TrustAll()}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
