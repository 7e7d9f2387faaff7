package io.github.synapsebgu.exporter.source.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.synapsebgu.exporter.source.metrics.MetricsSourceException.Reason;
import io.github.synapsebgu.exporter.testing.Behaviours;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.FaultySocketServer;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reader over real HTTP: {@link FakeSynapse} as Synapse's metrics listener, {@link
 * FaultySocketServer} for the faults WireMock cannot make.
 */
class SynapseMetricsReaderTest {
  @RegisterExtension static final FakeSynapse synapse = FakeSynapse.start();
  private static final String PATH = SynapseBodies.METRICS_PATH;
  private static final Path REAL = Path.of("src/test/resources/source/synapse-1.160-metrics.txt");

  private final List<SynapseMetricsReader> readers = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (SynapseMetricsReader reader : readers) {
      reader.close();
    }
  }

  private SynapseMetricsReader reader(String url, Duration timeout) {
    SynapseMetricsReader reader =
        SynapseMetricsReader.open(
            url, timeout, SynapseMetricsReader.DEFAULT_MAX_BODY_BYTES, "synapse-bgu-exporter/test");
    readers.add(reader);
    return reader;
  }

  private SynapseMetricsReader reader() {
    return reader(synapse.metricsUrl().toString(), Duration.ofSeconds(5));
  }

  private static Reason reasonOf(Throwable e) {
    return ((MetricsSourceException) e).reason();
  }

  @Test
  void the_real_body_is_read_asking_for_the_text_format_and_sending_no_credentials()
      throws Exception {
    synapse.answer(Call.METRICS, SynapseAnswers.metrics(Files.readString(REAL)));
    SynapseMetricsReader reader = reader();

    assertThat(reader.read().updaterStates()).containsEntry("master", UpdaterState.RUNNING);
    assertThat(reader.read().processStartTimeSeconds()).isPresent();

    List<LoggedRequest> requests = synapse.requests(Call.METRICS);
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
    synapse.updaterState("master", "3.0");
    // WireMock gzips when asked; HttpClient asks and inflates: the cap applies to what is inflated.
    assertThat(reader().read().updaterStates()).containsEntry("master", UpdaterState.COMPLETE);
    assertThat(synapse.requests(Call.METRICS).get(0).getHeader("Accept-Encoding")).contains("gzip");
  }

  @ParameterizedTest
  @CsvSource({"404", "500", "503", "302", "401"})
  void a_status_other_than_200_is_an_http_status_error_and_redirects_are_not_followed(int status) {
    synapse.answer(
        Call.METRICS, aResponse().withStatus(status).withHeader("Location", "/elsewhere"));
    assertThatThrownBy(reader()::read)
        .isInstanceOf(MetricsSourceException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.HTTP_STATUS))
        .hasMessage("the Synapse metrics endpoint answered HTTP " + status);
    assertThat(synapse.requestCount()).isEqualTo(1); // nothing asked at /elsewhere
  }

  @Test
  void a_slow_answer_is_a_timeout_within_the_deadline() {
    synapse.answer(Call.METRICS, SynapseAnswers.metrics("x").withFixedDelay(5_000));
    long start = System.nanoTime();
    assertThatThrownBy(reader(synapse.metricsUrl().toString(), Duration.ofMillis(500))::read)
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
    try (FakeSynapse https = FakeSynapse.startHttps()) {
      assertThatThrownBy(reader(https.metricsUrl().toString(), Duration.ofSeconds(5))::read)
          .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.CONNECT))
          .hasMessageContaining("SSLHandshakeException");
    }
  }

  @Test
  void a_connection_reset_is_a_connect_error() {
    synapse.answer(Call.METRICS, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    assertThatThrownBy(reader()::read)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.CONNECT));
  }

  @Test
  void a_garbage_body_is_invalid_data() {
    synapse.answer(
        Call.METRICS, SynapseAnswers.raw(200, "text/html", "<html>Synapse is starting</html>"));
    assertThatThrownBy(reader()::read)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID_DATA));
  }

  @Test
  void a_five_mib_body_is_too_large_and_the_next_read_works() throws Exception {
    String line = "synapse_padding_total{a=\"b\"} 1.0\n";
    String big = line.repeat(5 * 1024 * 1024 / line.length() + 1);
    synapse.answer(Call.METRICS, SynapseAnswers.metrics(big));
    SynapseMetricsReader reader = reader();
    assertThatThrownBy(reader::read)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.TOO_LARGE));

    synapse.answer(
        Call.METRICS,
        SynapseAnswers.metrics("synapse_background_update_status{database_name=\"m\"} 2\n"));
    assertThat(reader.read().updaterStates()).containsEntry("m", UpdaterState.RUNNING);
  }

  @Test
  @Timeout(
      value = 30,
      threadMode =
          Timeout.ThreadMode
              .SEPARATE_THREAD) // without cutting the connection, closing the body would drain it
  // for ever
  void an_endless_body_is_cut_at_the_cap_without_hanging() throws Exception {
    try (FaultySocketServer server = FaultySocketServer.start()) {
      server.behave(
          Behaviours.endlessChunks("synapse_padding_total{a=\"b\"} 1.0\n".repeat(1000), 0));
      long start = System.nanoTime();
      assertThatThrownBy(reader(server.url() + PATH, Duration.ofSeconds(20))::read)
          .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.TOO_LARGE));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      // the server saw the connection cut, not drained
      assertThat(server.awaitQuiet(15_000)).isTrue();
    }
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void a_body_that_drips_in_is_a_timeout_at_the_deadline() throws Exception {
    try (FaultySocketServer server = FaultySocketServer.start()) {
      // each read returns in time; the whole body never does
      server.behave(Behaviours.endlessChunks("# drip\n", 100));
      long start = System.nanoTime();
      assertThatThrownBy(reader(server.url() + PATH, Duration.ofSeconds(1))::read)
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
