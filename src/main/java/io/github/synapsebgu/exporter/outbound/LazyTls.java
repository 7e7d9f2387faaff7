package io.github.synapsebgu.exporter.outbound;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;

/**
 * A TLS strategy of HttpClient 5 built on the first TLS connection. The system default loads and
 * parses every CA certificate of the JDK (about 2 MiB of heap and tens of milliseconds at start),
 * which a client that only ever speaks plain http (Synapse or its metrics listener on an internal
 * network, the usual case) never needs. Shared by every outbound client of the exporter.
 */
public final class LazyTls {
  private LazyTls() {}

  public static TlsSocketStrategy onFirstUse(Supplier<? extends TlsSocketStrategy> factory) {
    return new TlsSocketStrategy() {
      private TlsSocketStrategy delegate;

      @Override
      public SSLSocket upgrade(
          Socket socket, String target, int port, Object attachment, HttpContext context)
          throws IOException {
        TlsSocketStrategy strategy;
        synchronized (this) {
          if (delegate == null) {
            delegate = factory.get();
          }
          strategy = delegate;
        }
        return strategy.upgrade(socket, target, port, attachment, context);
      }
    };
  }

  /** The same for an asynchronous client (the Synapse client's I/O reactor). */
  public static TlsStrategy asyncOnFirstUse(Supplier<? extends TlsStrategy> factory) {
    return new TlsStrategy() {
      private TlsStrategy delegate;

      private synchronized TlsStrategy delegate() {
        if (delegate == null) {
          delegate = factory.get();
        }
        return delegate;
      }

      @Override
      public void upgrade(
          TransportSecurityLayer session,
          NamedEndpoint endpoint,
          Object attachment,
          Timeout handshakeTimeout,
          FutureCallback<TransportSecurityLayer> callback) {
        delegate().upgrade(session, endpoint, attachment, handshakeTimeout, callback);
      }

      @Deprecated
      @Override
      public boolean upgrade(
          TransportSecurityLayer session,
          HttpHost host,
          SocketAddress localAddress,
          SocketAddress remoteAddress,
          Object attachment,
          Timeout handshakeTimeout) {
        delegate().upgrade(session, host, attachment, handshakeTimeout, null);
        return true;
      }
    };
  }
}
