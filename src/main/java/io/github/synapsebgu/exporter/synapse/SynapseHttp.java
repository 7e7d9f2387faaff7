package io.github.synapsebgu.exporter.synapse;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.io.CloseMode;

/**
 * The HTTP clients every {@link SynapseClient} of the process shares: one asynchronous client (one
 * I/O thread, one connection pool with a per-route limit) per distinct TLS setting, built on first
 * use. Thousands of homeservers thus cost one pool, not one each; a homeserver that skips TLS
 * verification or trusts its own CA file gets the client of that setting, never another's trust.
 * Timeouts are per request (each homeserver's own). Close after the clients that use it.
 */
public final class SynapseHttp implements AutoCloseable {
  /** What makes two homeservers' clients differ: how they verify TLS. */
  private record TlsKey(Optional<Path> caFile, boolean insecureSkipVerify) {}

  private final String userAgent;
  private final Map<TlsKey, CloseableHttpAsyncClient> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public SynapseHttp(String userAgent) {
    this.userAgent = userAgent;
  }

  /**
   * The client for {@code settings}' TLS setting.
   *
   * @throws IllegalArgumentException when its CA file cannot be read or holds no certificate
   * @throws IllegalStateException once closed
   */
  CloseableHttpAsyncClient client(SynapseHttpSettings settings) {
    TlsKey key = new TlsKey(settings.caFile(), settings.insecureSkipVerify());
    CloseableHttpAsyncClient client =
        clients.computeIfAbsent(key, k -> HttpClientFactory.create(settings, userAgent));
    if (closed) {
      client.close(CloseMode.IMMEDIATE);
      throw new IllegalStateException("the HTTP clients are closed");
    }
    return client;
  }

  /** How many distinct clients exist (one per TLS setting in use). */
  int clientCount() {
    return clients.size();
  }

  /** Closes every client; requests still running fail. */
  @Override
  public void close() {
    closed = true;
    clients.values().forEach(c -> c.close(CloseMode.IMMEDIATE));
    clients.clear();
  }
}
