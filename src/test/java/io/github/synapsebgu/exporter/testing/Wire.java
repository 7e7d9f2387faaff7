package io.github.synapsebgu.exporter.testing;

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
