package app.flagger.controller.client;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.TlsVersion;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * fabric8's HTTP client factory (the JDK one) whose clients are {@link BoundedHttpClient}s. fabric8
 * configures the builder (TLS, authentication, interceptors) as usual; only {@link Builder#build}
 * differs. {@code onBuild} sees each client built (the controller publishes its in-flight gauge).
 */
public final class BoundedHttpClientFactory implements HttpClient.Factory {
  // the class path's factory: the JDK one in the controller; the tests register one that records
  // the API calls for RbacLeastPrivilegeCheck
  private final HttpClient.Factory delegate = HttpClientUtils.getHttpClientFactory();
  private final int limit;
  private final Consumer<BoundedHttpClient> onBuild;

  public BoundedHttpClientFactory(int limit, Consumer<BoundedHttpClient> onBuild) {
    this.limit = limit;
    this.onBuild = onBuild;
  }

  @Override
  public HttpClient.Builder newBuilder() {
    return new Builder(delegate.newBuilder());
  }

  private final class Builder implements HttpClient.Builder {
    private final HttpClient.Builder b;

    Builder(HttpClient.Builder b) {
      this.b = b;
    }

    @Override
    public HttpClient build() {
      BoundedHttpClient client = new BoundedHttpClient(b.build(), limit);
      onBuild.accept(client);
      return client;
    }

    @Override
    public HttpClient.Builder connectTimeout(long value, TimeUnit unit) {
      b.connectTimeout(value, unit);
      return this;
    }

    @Override
    public HttpClient.Builder websocketPingInterval(long value, TimeUnit unit) {
      b.websocketPingInterval(value, unit);
      return this;
    }

    @Override
    public HttpClient.Builder addOrReplaceInterceptor(String name, Interceptor interceptor) {
      b.addOrReplaceInterceptor(name, interceptor);
      return this;
    }

    @Override
    public HttpClient.Builder authenticatorNone() {
      b.authenticatorNone();
      return this;
    }

    @Override
    public HttpClient.Builder sslContext(KeyManager[] keyManagers, TrustManager[] trustManagers) {
      b.sslContext(keyManagers, trustManagers);
      return this;
    }

    @Override
    public HttpClient.Builder followAllRedirects() {
      b.followAllRedirects();
      return this;
    }

    @Override
    public HttpClient.Builder proxyAddress(InetSocketAddress address) {
      b.proxyAddress(address);
      return this;
    }

    @Override
    public HttpClient.Builder proxyAuthorization(String credentials) {
      b.proxyAuthorization(credentials);
      return this;
    }

    @Override
    public HttpClient.Builder tlsVersions(TlsVersion... versions) {
      b.tlsVersions(versions);
      return this;
    }

    @Override
    public HttpClient.Builder tlsServerName(String serverName) {
      b.tlsServerName(serverName);
      return this;
    }

    @Override
    public HttpClient.Builder preferHttp11() {
      b.preferHttp11();
      return this;
    }

    @Override
    public HttpClient.Builder proxyType(HttpClient.ProxyType type) {
      b.proxyType(type);
      return this;
    }

    @Override
    public HttpClient.DerivedClientBuilder tag(Object value) {
      b.tag(value);
      return this;
    }
  }
}
