package io.github.synapsebgu.exporter.outbound;

import java.io.IOException;
import java.net.Socket;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;

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
}
