package io.github.synapsebgu.exporter.http;

/**
 * Process-wide settings of the JDK's HTTP server, applied before the first server is created (the
 * JDK reads them once).
 */
public final class HttpServerDefaults {
  static final String NO_DELAY = "sun.net.httpserver.nodelay";
  static final String DRAIN_AMOUNT = "sun.net.httpserver.drainAmount";

  private HttpServerDefaults() {}

  /**
   * Turns Nagle's algorithm off on accepted connections, unless the property was set explicitly.
   * The JDK server writes a response's headers and body as two segments; with Nagle on, the body
   * waits for the client's delayed ACK of the headers, about 40 ms on Linux, on every request of a
   * keep-alive connection, which is how Prometheus scrapes. Measured with bench/run.sh: one
   * connection's median /metrics latency went from 44 ms to 0.16 ms.
   *
   * <p>Also stops the JDK from draining a request body the handler did not read (by default up to
   * 64 KiB, so that the connection can be kept): a client whose Content-Length promises more than
   * it sends held the worker until the response deadline, long after it had its answer (two such
   * clients blocked the admin listener for 30 s). Now the connection is closed after the answer
   * instead; requests without a body keep their connection (see {@link RequestBodyWatch}).
   */
  public static void apply() {
    setUnlessSet(NO_DELAY, "true");
    setUnlessSet(DRAIN_AMOUNT, "0");
  }

  private static void setUnlessSet(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }
}
