package io.github.synapsebgu.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Prometheus scrapes over a keep-alive connection. With Nagle's algorithm on, the JDK server holds
 * each response body back until the client's delayed ACK (about 40 ms on Linux): a plain socket
 * client that sends one request at a time sees that directly.
 */
class KeepAliveLatencyTest {
  private static final int REQUESTS = 40;

  @Test
  void keepAliveResponsesAreNotHeldBackByNagle() throws Exception {
    byte[] body = new byte[4500];
    Arrays.fill(body, (byte) 'x');
    try (WebServer server =
            WebServer.builder()
                .address(new InetSocketAddress("127.0.0.1", 0))
                .route("/metrics", ex -> Responses.send(ex, 200, "text/plain", body))
                .start();
        Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] request =
          "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      List<Long> micros = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        long start = System.nanoTime();
        out.write(request);
        out.flush();
        assertThat(readResponseBody(in)).hasSize(body.length);
        micros.add((System.nanoTime() - start) / 1000);
      }
      // Linux acknowledges the first segments of a connection at once (quick-ACK), so only the
      // later requests show the delay: take the median of the second half.
      List<Long> later = new ArrayList<>(micros.subList(REQUESTS / 2, REQUESTS));
      Collections.sort(later);
      assertThat(later.get(later.size() / 2))
          .as("median latency in µs of keep-alive requests %s", micros)
          .isLessThan(20_000);
    }
  }

  private static byte[] readResponseBody(InputStream in) throws IOException {
    int length = -1;
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring("content-length:".length()).trim());
      }
    }
    assertThat(length).as("Content-Length").isNotNegative();
    return in.readNBytes(length);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed mid-response");
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
