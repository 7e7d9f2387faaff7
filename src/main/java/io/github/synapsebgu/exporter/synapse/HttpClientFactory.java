package io.github.synapsebgu.exporter.synapse;

import io.github.synapsebgu.exporter.outbound.LazyTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TrustAllStrategy;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the asynchronous HTTP client that calls Synapse: one I/O thread and a connection pool that
 * may serve many homeservers (see {@link SynapseHttp}), so a poll waiting on its answer holds no
 * thread. HTTP/1.1 only, no redirects, no retries, no cookies, no auth cache.
 */
public final class HttpClientFactory {
  /**
   * Connections per route (scheme, host, port): one homeserver polls one request at a time, plus an
   * occasional admin call; several homeservers behind one reverse proxy share a route, so the limit
   * leaves room for them while one host can never take the whole pool.
   */
  static final int MAX_PER_ROUTE = 32;

  /**
   * Connections in all: above this, idle keep-alive connections of other routes are closed to make
   * room (keep-alive degrades to a new connection per poll, nothing fails).
   */
  static final int MAX_TOTAL = 16_384;

  /**
   * The input and output buffer of each connection: a status answer is a few hundred bytes and
   * bodies are streamed through it, so 1 KiB instead of 8 KiB costs nothing and saves 14 KiB per
   * kept-alive connection (one per homeserver).
   */
  static final int BUFFER_BYTES = 1024;

  private HttpClientFactory() {}

  /**
   * A started client for the TLS settings of {@code tls} (CA file, skip-verify); timeouts are set
   * per request.
   *
   * @throws IllegalArgumentException when the CA file cannot be read or holds no certificate
   */
  static CloseableHttpAsyncClient create(SynapseHttpSettings tls, String userAgent) {
    TlsStrategy strategy =
        tls.insecureSkipVerify()
            ? new DefaultClientTlsStrategy(
                trustAll(), HostnameVerificationPolicy.CLIENT, NoopHostnameVerifier.INSTANCE)
            : tls.caFile()
                .<TlsStrategy>map(ca -> new DefaultClientTlsStrategy(trusting(ca)))
                .orElseGet(
                    () -> LazyTls.asyncOnFirstUse(DefaultClientTlsStrategy::createSystemDefault));
    var connections =
        PoolingAsyncClientConnectionManagerBuilder.create()
            .setTlsStrategy(strategy)
            // HTTP/1.1 as before: no HTTP/2 negotiated over TLS.
            .setDefaultTlsConfig(
                TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
            .setMaxConnTotal(MAX_TOTAL)
            .setMaxConnPerRoute(MAX_PER_ROUTE)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    // Connecting is bounded by each request's whole-request deadline as well.
                    .setConnectTimeout(Timeout.ofSeconds(30))
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .setTimeToLive(TimeValue.ofMinutes(5))
                    .build())
            .build();
    CloseableHttpAsyncClient client =
        HttpAsyncClients.custom()
            .setConnectionManager(connections)
            .setHttp1Config(Http1Config.custom().setBufferSize(BUFFER_BYTES).build())
            // One I/O thread for every homeserver; the idle timeout of a session stays the default
            // (3 min): each request sets its own, and idle connections are evicted after a minute.
            .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
            .setThreadFactory(
                r -> {
                  Thread t = new Thread(r, "synapse-http");
                  t.setDaemon(true);
                  return t;
                })
            // A redirect would carry the admin token to wherever the Location points: never follow
            // one.
            .disableRedirectHandling()
            // Retrying is the poller's job (next interval); a retry here could double a POST.
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableAuthCaching()
            .evictIdleConnections(TimeValue.ofMinutes(1))
            .setUserAgent(userAgent)
            .build();
    client.start();
    return client;
  }

  private static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no PEM certificate found in " + caFile);
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate cert : certs) {
        store.setCertificateEntry("ca-" + i++, cert);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read CA file " + caFile + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "CA file " + caFile + " is not a PEM certificate bundle: " + e.getMessage(), e);
    }
  }

  private static SSLContext trustAll() {
    try {
      return SSLContexts.custom().loadTrustMaterial(TrustAllStrategy.INSTANCE).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context", e);
    }
  }
}
