package io.github.synapsebgu.exporter.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Real HTTP on loopback: a WireMock homeserver, a plain client for our own endpoints, a port nobody
 * listens on.
 */
public final class Wire {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Wire() {}

  /**
   * A fake homeserver on a free port; quiet, so request headers (the token) never reach test
   * output.
   */
  public static WireMockServer homeserver() {
    WireMockServer server =
        new WireMockServer(
            WireMockConfiguration.options()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .notifier(new Slf4jNotifier(false))
                .disableRequestJournal()
                .maxRequestJournalEntries(0));
    server.start();
    return server;
  }

  /** Like {@link #homeserver()} but keeps a request journal, for tests that check what was sent. */
  public static WireMockServer recordingHomeserver() {
    WireMockServer server =
        new WireMockServer(
            WireMockConfiguration.options()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .notifier(new Slf4jNotifier(false)));
    server.start();
    return server;
  }

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

  /**
   * Makes the fake homeserver answer the status API with {@code status} and a body of {@code
   * contentType}.
   */
  public static void answerStatus(
      WireMockServer synapse, int status, String contentType, String body) {
    synapse.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(SynapseBodies.STATUS_PATH)
            .willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", contentType)
                    .withBody(body)));
  }
}
