package io.github.synapsebgu.exporter.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request body as handlers read it. It knows whether the request declared a body and whether it
 * was read to its end, and it marks the worker as reading the request while a read blocks, so a
 * body that drips in counts against the request deadline (see {@link ExchangeExecutor}), not the
 * longer response deadline.
 */
final class RequestBodyWatch extends FilterInputStream {
  private final boolean declared;
  private boolean ended;

  private RequestBodyWatch(InputStream body, boolean declared) {
    super(body);
    this.declared = declared;
  }

  /**
   * Puts the watch in front of the exchange's body. A request without a body is read to its end at
   * once (no I/O: the stream is empty): the JDK keeps a connection open only after a request whose
   * body was read to its end, and it no longer drains unread bodies itself (see {@link
   * HttpServerDefaults}).
   */
  static RequestBodyWatch install(HttpExchange exchange) throws IOException {
    RequestBodyWatch watch =
        new RequestBodyWatch(exchange.getRequestBody(), declaresBody(exchange.getRequestHeaders()));
    if (!watch.declared) {
      watch.read();
    }
    exchange.setStreams(watch, null);
    return watch;
  }

  /** As the JDK server reads a request: chunked, or a Content-Length above 0. */
  private static boolean declaresBody(Headers headers) {
    String encoding = headers.getFirst("Transfer-Encoding");
    if (encoding != null && encoding.strip().equalsIgnoreCase("chunked")) {
      return true;
    }
    String length = headers.getFirst("Content-Length");
    if (length == null) {
      return false;
    }
    try {
      return Long.parseLong(length.strip()) != 0;
    } catch (NumberFormatException e) {
      return true; // the JDK refuses such a request before any handler; never assume it empty
    }
  }

  /** Whether the request carries a body (which may or may not get read). */
  boolean declared() {
    return declared;
  }

  /** Whether nothing of the request is left on the connection. */
  boolean complete() {
    return !declared || ended;
  }

  @Override
  public int read() throws IOException {
    ExchangeExecutor.readingRequest(true);
    try {
      int c = super.read();
      ended |= c < 0;
      return c;
    } finally {
      ExchangeExecutor.readingRequest(false);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    ExchangeExecutor.readingRequest(true);
    try {
      int n = super.read(b, off, len);
      ended |= n < 0;
      return n;
    } finally {
      ExchangeExecutor.readingRequest(false);
    }
  }

  /** Through {@link #read(byte[], int, int)}, so skipping is timed like reading. */
  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 2048)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public void close() throws IOException {
    // Closing may read what is left (only where someone set the JDK's drain amount).
    ExchangeExecutor.readingRequest(!complete());
    try {
      super.close();
    } finally {
      ExchangeExecutor.readingRequest(false);
    }
  }
}
