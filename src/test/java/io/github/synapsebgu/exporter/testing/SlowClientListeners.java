package io.github.synapsebgu.exporter.testing;

import io.github.synapsebgu.exporter.http.Responses;
import io.github.synapsebgu.exporter.http.WebServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * What the tests of slow and withholding clients share: a listener of ours on loopback, port 0,
 * with {@code /metrics} (a tiny answer) and {@code /big} (8 MiB, which a client can refuse to
 * read), and an HTTP/1.1 client to measure the legitimate requests with.
 */
public final class SlowClientListeners {
  private static final byte[] BIG = new byte[8 * 1024 * 1024];

  private SlowClientListeners() {}

  /** A builder with both routes; the test sets threads, deadlines and any more routes. */
  public static WebServer.Builder listener(String name) {
    return WebServer.builder()
        .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .name(name)
        .route("/metrics", ex -> Responses.text(ex, 200, "up 1\n"))
        .route("/big", ex -> Responses.send(ex, 200, "text/plain", BIG));
  }

  public static HttpClient http11() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }
}
