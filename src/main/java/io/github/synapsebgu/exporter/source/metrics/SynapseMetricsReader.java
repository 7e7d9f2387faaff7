package io.github.synapsebgu.exporter.source.metrics;

import io.github.synapsebgu.exporter.outbound.LazyTls;
import io.github.synapsebgu.exporter.source.metrics.MetricsSourceException.Reason;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Reads Synapse's own metrics endpoint ({@code --synapse.metrics-url}, e.g. {@code
 * http://synapse:9000/_synapse/metrics}) and keeps only the updater state per database. It has a
 * client of its own, so nothing can ever add the admin token to these requests: this endpoint needs
 * none, and is often on another host or port than the admin API.
 */
public final class SynapseMetricsReader implements Closeable {
  /** Synapse's whole metrics body is a few hundred KiB; well above that is not Synapse. */
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

  private final URI url;
  private final Duration timeout;
  private final SynapseMetricsParser parser;
  private final CloseableHttpClient client;

  private SynapseMetricsReader(URI url, Duration timeout, long maxBodyBytes, String userAgent) {
    this.url = url;
    this.timeout = timeout;
    this.parser = new SynapseMetricsParser(maxBodyBytes);
    this.client = client(timeout, userAgent);
  }

  /**
   * @param timeout the deadline of one read: connecting, the answer and its whole body
   * @throws IllegalArgumentException naming the problem with the URL or the limits
   */
  public static SynapseMetricsReader open(
      String url, Duration timeout, long maxBodyBytes, String userAgent) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the metrics timeout must be positive");
    }
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException("the metrics body cap must be positive");
    }
    return new SynapseMetricsReader(checkedUrl(url), timeout, maxBodyBytes, userAgent);
  }

  /**
   * The URL checked as {@link #open} checks it: a pure function, so flags are validated at start.
   *
   * @throws IllegalArgumentException naming the problem, never repeating the URL
   */
  public static URI checkedUrl(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the Synapse metrics URL is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "the Synapse metrics URL must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the Synapse metrics URL has no host");
    }
    if (uri.getRawUserInfo() != null) {
      // Synapse's metrics listener has no authentication; credentials here would only leak.
      throw new IllegalArgumentException("the Synapse metrics URL must not contain credentials");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("the Synapse metrics URL must not have a #fragment");
    }
    return uri;
  }

  /** Where this source reads, safe to log. */
  public URI url() {
    return url;
  }

  /** One read: a GET, the body parsed as it arrives. */
  public SynapseMetrics read() throws MetricsSourceException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpGet get = new HttpGet(url);
    // The classic text format; prometheus_client would otherwise pick by Accept, and OpenMetrics
    // differs (EOF marker, _created series).
    get.setHeader(HttpHeaders.ACCEPT, "text/plain;version=0.0.4;q=1,*/*;q=0.1");
    // executeOpen, not a response handler: a handler's checked exceptions are HTTP and I/O ones.
    try (ClassicHttpResponse response = client.executeOpen(null, get, null)) {
      if (response.getCode() != 200) {
        throw new MetricsSourceException(
            Reason.HTTP_STATUS, "the Synapse metrics endpoint answered HTTP " + response.getCode());
      }
      HttpEntity entity = response.getEntity();
      if (entity == null) {
        throw new MetricsSourceException(
            Reason.INVALID_DATA, "the Synapse metrics endpoint answered without a body");
      }
      InputStream body = entity.getContent();
      SynapseMetrics metrics;
      try {
        metrics = parser.parse(body, deadline);
      } catch (MetricsSourceException | IOException e) {
        // Closing the body stream would read the rest of it (to reuse the connection): a huge or
        // endless body must instead cut the connection first.
        get.cancel();
        throw e;
      }
      EntityUtils.consume(entity); // at the end already: keeps the connection for the next poll
      return metrics;
    } catch (IOException e) {
      throw classify(e);
    }
  }

  private static MetricsSourceException classify(IOException e) {
    String what = " the Synapse metrics endpoint";
    if (e instanceof SocketTimeoutException
        || e instanceof ConnectTimeoutException
        || e instanceof InterruptedIOException) {
      return new MetricsSourceException(Reason.TIMEOUT, "timed out reading" + what, e);
    }
    if (e instanceof HttpHostConnectException
        || e instanceof ConnectException
        || e instanceof UnknownHostException
        || e instanceof NoRouteToHostException
        || e instanceof SSLException) {
      return new MetricsSourceException(
          Reason.CONNECT, "cannot connect to" + what + ": " + e.getClass().getSimpleName(), e);
    }
    return new MetricsSourceException(
        Reason.CONNECT, "the connection to" + what + " failed: " + e.getClass().getSimpleName(), e);
  }

  private static CloseableHttpClient client(Duration timeout, String userAgent) {
    Timeout t = Timeout.of(timeout);
    return HttpClients.custom()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(
                    LazyTls.onFirstUse(DefaultClientTlsStrategy::createSystemDefault))
                .setMaxConnTotal(1)
                .setMaxConnPerRoute(1)
                .setDefaultConnectionConfig(
                    ConnectionConfig.custom()
                        .setConnectTimeout(t)
                        .setSocketTimeout(t)
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .setTimeToLive(TimeValue.ofMinutes(5))
                        .build())
                .build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .setUserAgent(userAgent)
        .setDefaultRequestConfig(
            RequestConfig.custom().setConnectionRequestTimeout(t).setResponseTimeout(t).build())
        .build();
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
