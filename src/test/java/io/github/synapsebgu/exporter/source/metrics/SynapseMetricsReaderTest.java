package io.github.synapsebgu.exporter.source.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.synapsebgu.exporter.source.metrics.MetricsSourceException.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reader over real HTTP: WireMock as Synapse's metrics listener, a raw socket for faults. */
class SynapseMetricsReaderTest {
  private static final String PATH = "/_synapse/metrics";
  private static final Path REAL = Path.of("src/test/resources/source/synapse-1.160-metrics.txt");

  private WireMockServer synapse;
  private final List<SynapseMetricsReader> readers = new ArrayList<>();

  @BeforeEach
  void start() {
    synapse = new WireMockServer(options().dynamicPort().dynamicHttpsPort());
    synapse.start();
  }

  @AfterEach
  void stop() throws IOException {
    for (SynapseMetricsReader reader : readers) {
      reader.close();
    }
    synapse.stop();
  }

  private SynapseMetricsReader reader(String url, Duration timeout) {
    SynapseMetricsReader reader =
        SynapseMetricsReader.open(
            url, timeout, SynapseMetricsReader.DEFAULT_MAX_BODY_BYTES, "synapse-bgu-exporter/test");
    readers.add(reader);
    return reader;
  }

  private SynapseMetricsReader reader() {
    return reader("http://localhost:" + synapse.port() + PATH, Duration.ofSeconds(5));
  }

  private static Reason reasonOf(Throwable e) {
    return ((MetricsSourceException) e).reason();
  }

  @Test
  void the_real_body_is_read_asking_for_the_text_format_and_sending_no_credentials()
      throws Exception {
    synapse.stubFor(
        get(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .withBody(Files.readAllBytes(REAL))));
    SynapseMetricsReader reader = reader();

    assertThat(reader.read().updaterStates()).containsEntry("master", UpdaterState.RUNNING);
    assertThat(reader.read().processStartTimeSeconds()).isPresent();

    List<LoggedRequest> requests = synapse.findAll(getRequestedFor(urlEqualTo(PATH)));
    assertThat(requests).hasSize(2);
    for (LoggedRequest request : requests) {
      assertThat(request.getHeader("Accept")).startsWith("text/plain;version=0.0.4");
      assertThat(request.containsHeader("Authorization")).isFalse();
      assertThat(request.containsHeader("Cookie")).isFalse();
      assertThat(request.getHeader("User-Agent")).isEqualTo("synapse-bgu-exporter/test");
    }
  }

  @Test
  void a_gzipped_body_is_read() throws Exception {
    synapse.stubFor(
        get(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withBody("synapse_background_update_status{database_name=\"master\"} 3.0\n")));
    // WireMock gzips when asked; HttpClient asks and inflates: the cap applies to what is inflated.
    assertThat(reader().read().updaterStates()).containsEntry("master", UpdaterState.COMPLETE);
    assertThat(
            synapse.findAll(getRequestedFor(urlEqualTo(PATH))).get(0).getHeader("Accept-Encoding"))
        .contains("gzip");
  }

  @ParameterizedTest
  @CsvSource({"404", "500", "503", "302", "401"})
  void a_status_other_than_200_is_an_http_status_error_and_redirects_are_not_followed(int status) {
    synapse.stubFor(
        get(urlEqualTo(PATH))
            .willReturn(aResponse().withStatus(status).withHeader("Location", "/elsewhere")));
    assertThatThrownBy(reader()::read)
        .isInstanceOf(MetricsSourceException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.HTTP_STATUS))
        .hasMessage("the Synapse metrics endpoint answered HTTP " + status);
    assertThat(synapse.findAll(getRequestedFor(urlEqualTo("/elsewhere")))).isEmpty();
  }

  @Test
  void a_slow_answer_is_a_timeout_within_the_deadline() {
    synapse.stubFor(
        get(urlEqualTo(PATH)).willReturn(aResponse().withFixedDelay(5_000).withBody("x")));
    long start = System.nanoTime();
    assertThatThrownBy(
            reader("http://localhost:" + synapse.port() + PATH, Duration.ofMillis(500))::read)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.TIMEOUT));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void a_closed_port_is_a_connect_error() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(reader("http://127.0.0.1:" + port + PATH, Duration.ofSeconds(2))::read)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.CONNECT))
        .hasMessageContaining("cannot connect");
  }

  @Test
  void an_https_listener_with_an_untrusted_certificate_is_a_connect_error() {
    // WireMock's self-signed certificate: the system trust store (built on first use) refuses it.
    synapse.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withBody("x")));
    String url = "https://localhost:" + synapse.httpsPort() + PATH;
    assertThatThrownBy(reader(url, Duration.ofSeconds(5))::read)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.CONNECT))
        .hasMessageContaining("SSLHandshakeException");
  }

  @Test
  void a_connection_reset_is_a_connect_error() {
    synapse.stubFor(
        get(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    assertThatThrownBy(reader()::read)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.CONNECT));
  }

  @Test
  void a_garbage_body_is_invalid_data() {
    synapse.stubFor(
        get(urlEqualTo(PATH)).willReturn(aResponse().withBody("<html>Synapse is starting</html>")));
    assertThatThrownBy(reader()::read)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID_DATA));
  }

  @Test
  void a_five_mib_body_is_too_large_and_the_next_read_works() throws Exception {
    String line = "synapse_padding_total{a=\"b\"} 1.0\n";
    String big = line.repeat(5 * 1024 * 1024 / line.length() + 1);
    synapse.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withBody(big)));
    SynapseMetricsReader reader = reader();
    assertThatThrownBy(reader::read)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.TOO_LARGE));

    synapse.stubFor(
        get(urlEqualTo(PATH))
            .willReturn(
                aResponse().withBody("synapse_background_update_status{database_name=\"m\"} 2\n")));
    assertThat(reader.read().updaterStates()).containsEntry("m", UpdaterState.RUNNING);
  }

  /** A listener that answers 200 and then sends whatever {@code body} writes, on a raw socket. */
  private static CompletableFuture<Void> rawServer(ServerSocket server, BodyWriter body) {
    return CompletableFuture.runAsync(
        () -> {
          try (Socket socket = server.accept();
              OutputStream out = socket.getOutputStream()) {
            socket.getInputStream().read(new byte[8192]);
            out.write(
                ("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.write(out);
          } catch (IOException | InterruptedException e) {
            // the reader hung up: what these tests want
          }
        });
  }

  interface BodyWriter {
    void write(OutputStream out) throws IOException, InterruptedException;
  }

  private static void chunk(OutputStream out, String data) throws IOException {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Test
  @Timeout(
      value = 30,
      threadMode =
          Timeout.ThreadMode
              .SEPARATE_THREAD) // without cutting the connection, closing the body would drain it
  // for ever
  void an_endless_body_is_cut_at_the_cap_without_hanging() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      CompletableFuture<Void> served =
          rawServer(
              server,
              out -> {
                String lines = "synapse_padding_total{a=\"b\"} 1.0\n".repeat(1000);
                while (true) {
                  chunk(out, lines);
                }
              });
      long start = System.nanoTime();
      assertThatThrownBy(
              reader("http://127.0.0.1:" + server.getLocalPort() + PATH, Duration.ofSeconds(20))
                  ::read)
          .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.TOO_LARGE));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      served.get(); // the server saw the connection cut, not drained
    }
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void a_body_that_drips_in_is_a_timeout_at_the_deadline() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      rawServer(
          server,
          out -> {
            while (true) {
              chunk(out, "# drip\n");
              Thread.sleep(100); // each read returns in time; the whole body never does
            }
          });
      long start = System.nanoTime();
      assertThatThrownBy(
              reader("http://127.0.0.1:" + server.getLocalPort() + PATH, Duration.ofSeconds(1))
                  ::read)
          .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.TIMEOUT));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "synapse:9000/_synapse/metrics|must start with http:// or https://",
        "ftp://synapse/_synapse/metrics|must start with http:// or https://",
        "http://user:hunter2@synapse:9000/_synapse/metrics|must not contain credentials",
        "http:///_synapse/metrics|has no host",
        "http://synapse:9000/_synapse/metrics#x|fragment",
        "http://syn apse/|not a valid URL"
      })
  void a_bad_url_is_refused_with_a_clear_message(String url, String message) {
    assertThatThrownBy(() -> reader(url, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("hunter2");
  }
}
