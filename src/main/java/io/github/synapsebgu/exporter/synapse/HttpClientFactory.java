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
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.client5.http.ssl.TrustAllStrategy;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParserFactory;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/** Builds the pooled HTTP client used for every call to Synapse. */
public final class HttpClientFactory {
  private HttpClientFactory() {}

  /**
   * @throws IllegalArgumentException when the CA file cannot be read or holds no certificate
   */
  public static CloseableHttpClient create(SynapseHttpSettings settings, String userAgent) {
    Timeout timeout = Timeout.of(settings.timeout());
    TlsSocketStrategy tls =
        settings.insecureSkipVerify()
            ? new DefaultClientTlsStrategy(
                trustAll(), HostnameVerificationPolicy.CLIENT, NoopHostnameVerifier.INSTANCE)
            : settings
                .caFile()
                .<TlsSocketStrategy>map(ca -> new DefaultClientTlsStrategy(trusting(ca)))
                .orElseGet(() -> LazyTls.onFirstUse(DefaultClientTlsStrategy::createSystemDefault));
    var connections =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setTlsSocketStrategy(tls)
            // HttpClient's default parser skips garbage before the status line and then reports
            // "no response", which reads as a connection problem; the strict one says "not HTTP".
            .setConnectionFactory(
                ManagedHttpClientConnectionFactory.builder()
                    .responseParserFactory(new DefaultHttpResponseParserFactory())
                    .build())
            // One poller plus an occasional admin call: a small pool keeps one warm keep-alive
            // connection.
            .setMaxConnTotal(4)
            .setMaxConnPerRoute(4)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(timeout)
                    .setSocketTimeout(timeout)
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .setTimeToLive(TimeValue.ofMinutes(5))
                    .build())
            .build();
    return HttpClients.custom()
        .setConnectionManager(connections)
        // A redirect would carry the admin token to wherever the Location points: never follow one.
        .disableRedirectHandling()
        // Retrying is the poller's job (next interval); a retry here could double a POST.
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .evictIdleConnections(TimeValue.ofMinutes(1))
        .setUserAgent(userAgent)
        .setDefaultRequestConfig(
            RequestConfig.custom()
                .setConnectionRequestTimeout(timeout)
                .setResponseTimeout(timeout)
                .build())
        .build();
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
