package io.github.synapsebgu.exporter.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FaultySocketServer;
import io.github.synapsebgu.exporter.testing.LogCapture;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 3, through the whole daemon: a proxy answering 400 with the request's headers in
 * its page (and, say, a debugging dump that happens to hold the admin token) leaks neither secret
 * into the daemon's log or its admin API's status.
 */
class EchoingProxyTest {
  private static final String ADMIN_TOKEN = "0a9f8e7d6c5b4a3928170f1e2d3c4b5a";

  @TempDir Path dir;

  @Test
  void neither_synapses_token_nor_the_admin_token_leaves_the_daemon() throws Exception {
    FaultySocketServer proxy = FaultySocketServer.start();
    // A raw socket: the page is built from the request's own Authorization header.
    proxy.behave(
        (socket, request) -> {
          String authorization = request.headers().getOrDefault("authorization", "");
          byte[] page =
              ("<html><body><h1>400 Bad Request</h1><pre>Authorization: "
                      + authorization
                      + "\nX-Upper: "
                      + authorization.toUpperCase(Locale.ROOT)
                      + "\nX-Dump: "
                      + ADMIN_TOKEN.toUpperCase(Locale.ROOT)
                      + "</pre></body></html>")
                  .getBytes(StandardCharsets.UTF_8);
          OutputStream out = socket.getOutputStream();
          out.write(
              ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: "
                      + page.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.write(page);
          out.flush();
          return true;
        });
    Path adminToken = Files.writeString(dir.resolve("admin-token"), ADMIN_TOKEN);
    try (LogCapture log = new LogCapture();
        ExporterUnderTest exporter =
            ExporterUnderTest.start(
                proxy.url(),
                Map.of(
                    "admin.enabled", "true",
                    "admin.listen-address", "127.0.0.1:0",
                    "admin.token-file", adminToken.toString()))) {
      int port = exporter.daemon().adminAddress().orElseThrow().getPort();
      String status =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/status"))
                      .header("Authorization", "Bearer " + ADMIN_TOKEN)
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();

      String everything = log.all() + status;
      for (String secret : new String[] {ExporterUnderTest.TOKEN, ADMIN_TOKEN}) {
        assertThat(everything)
            .doesNotContain(secret)
            .doesNotContain(secret.toUpperCase(Locale.ROOT))
            .doesNotContain(secret.substring(0, 16));
      }
      // What the page said did arrive, so the checks above had something to find.
      assertThat(status).contains("400 Bad Request").contains("X-Dump: <redacted>");
      assertThat(log.all()).contains("400 Bad Request");
    } finally {
      proxy.close();
    }
  }
}
