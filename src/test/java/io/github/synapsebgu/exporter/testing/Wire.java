package io.github.synapsebgu.exporter.testing;

import io.github.synapsebgu.exporter.http.WebServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Real HTTP on loopback: a plain client for our own endpoints, a port nobody listens on. (The fake
 * homeservers are {@link FakeSynapse} and {@link FaultySocketServer}.)
 */
public final class Wire {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Wire() {}

  public static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<String> send(HttpRequest request)
      throws IOException, InterruptedException {
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A loopback port that was free a moment ago: connecting to it is refused. */
  /** {@code handler}'s answer to one GET over real HTTP, on a listener of ours made for it. */
  public static String scrapeOnce(com.sun.net.httpserver.HttpHandler handler) throws Exception {
    WebServer web =
        WebServer.builder()
            .address(new java.net.InetSocketAddress("127.0.0.1", 0))
            .route("/metrics", handler)
            .start();
    try (web) {
      return get(URI.create("http://127.0.0.1:" + web.address().getPort() + "/metrics")).body();
    }
  }

  public static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public static HttpResponse<byte[]> getBytes(URI uri, String acceptEncoding)
      throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(uri).header("Accept-Encoding", acceptEncoding).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
