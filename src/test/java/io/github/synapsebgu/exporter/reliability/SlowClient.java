package io.github.synapsebgu.exporter.reliability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A slowloris: sends a request one byte per {@code interval}, and notes when the server closes the
 * connection on it.
 */
final class SlowClient implements AutoCloseable {
  private static final byte[] REQUEST =
      "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\nX-Padding: ................................................................\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  private final Socket socket = new Socket();
  private final Thread thread;
  private final long openedNanos = System.nanoTime();
  private volatile long closedNanos;
  private volatile boolean stop;

  SlowClient(InetSocketAddress server, long intervalMillis) throws IOException {
    socket.connect(server, 2000);
    socket.setSoTimeout((int) intervalMillis);
    thread = new Thread(this::drip, "slowloris");
    thread.setDaemon(true);
    thread.start();
  }

  private void drip() {
    try {
      for (int i = 0; !stop; i = (i + 1) % REQUEST.length) {
        socket.getOutputStream().write(REQUEST[i]);
        socket.getOutputStream().flush();
        try {
          if (socket.getInputStream().read() < 0) {
            break; // the server closed
          }
          break; // an answer to a request that never finished: not expected either
        } catch (SocketTimeoutException stillOpen) {
          // the server is still waiting for the rest; send the next byte
        }
      }
    } catch (IOException closedByServer) {
      // reset by the server
    }
    if (!stop) {
      closedNanos = System.nanoTime();
    }
  }

  /** Seconds from connecting until the server closed, or -1 while it is still open. */
  double closedAfterSeconds() {
    long c = closedNanos;
    return c == 0 ? -1 : (c - openedNanos) / 1e9;
  }

  @Override
  public void close() throws IOException {
    stop = true;
    socket.close();
  }
}
