package io.github.synapsebgu.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.admin.AdminHarness;
import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.config.ConfigValidator;
import io.github.synapsebgu.exporter.config.Env;
import io.github.synapsebgu.exporter.config.ServeOptions;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The admin API as the daemon starts it from flags: its own listener, its metrics on /metrics. */
class DaemonWiringTest {
  @TempDir Path dir;
  @RegisterExtension static final FakeSynapse synapse = FakeSynapse.start();
  private final HttpClient http = HttpClient.newHttpClient();

  private Daemon daemon(boolean admin) throws Exception {
    ServeOptions o = new ServeOptions();
    o.synapse.synapseUrl = synapse.url().toString();
    o.synapse.synapseTokenFile =
        Files.writeString(dir.resolve("synapse-token"), FakeSynapse.TOKEN).toString();
    o.listenAddress = "127.0.0.1:0";
    Map<String, String> env =
        admin
            ? Map.of(
                "ADMIN_ENABLED", "true",
                "ADMIN_LISTEN_ADDRESS", "127.0.0.1:0",
                "ADMIN_TOKEN_FILE",
                    Files.writeString(dir.resolve("admin-token"), AdminHarness.ADMIN_TOKEN)
                        .toString())
            : Map.of();
    return Daemon.start(
        ConfigValidator.validate(o, new Env(env)), Clock.systemUTC(), BuildInfo.load());
  }

  private HttpResponse<String> send(URI uri, String method, String body) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + AdminHarness.ADMIN_TOKEN)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(java.net.InetSocketAddress a, String path) {
    return URI.create("http://127.0.0.1:" + a.getPort() + path);
  }

  @Test
  void adminApiHasItsOwnListenerAndReportsOnMetrics() throws Exception {
    try (Daemon d = daemon(true)) {
      var admin = d.adminAddress().orElseThrow();
      assertThat(admin.getPort()).isNotEqualTo(d.address().getPort());

      HttpResponse<String> paused =
          send(uri(admin, "/api/v1/enabled"), "POST", "{\"enabled\": false, \"for\": \"1h\"}");
      assertThat(paused.statusCode()).isEqualTo(200);
      assertThat(synapse.enabled()).isFalse();

      String metrics = send(uri(d.address(), "/metrics"), "GET", null).body();
      assertThat(metrics)
          .contains("synapse_background_updates_enabled 0.0")
          .contains(
              "synapse_background_updates_admin_requests_total{action=\"disable\",outcome=\"ok\"} 1.0")
          .contains("synapse_background_updates_pause_expiry_timestamp_seconds ");
      // Control is not on the metrics port.
      assertThat(
              send(uri(d.address(), "/api/v1/enabled"), "POST", "{\"enabled\": true}").statusCode())
          .isEqualTo(404);
      assertThat(synapse.enabled()).isFalse();
    }
  }

  @Test
  void closingTheDaemonClosesTheAdminListener() throws Exception {
    URI status;
    try (Daemon d = daemon(true)) {
      status = uri(d.adminAddress().orElseThrow(), "/api/v1/status");
      assertThat(send(status, "GET", null).statusCode()).isEqualTo(200);
    }
    assertThatThrownBy(() -> send(status, "GET", null)).isInstanceOf(ConnectException.class);
  }

  @Test
  void withoutTheFlagThereIsNoAdminApiNorItsMetrics() throws Exception {
    try (Daemon d = daemon(false)) {
      assertThat(d.adminAddress()).isEmpty();
      assertThat(send(uri(d.address(), "/metrics"), "GET", null).body())
          .doesNotContain("admin_requests");
    }
  }

  @Test
  void adminAddressInUseIsReportedAgainstItsFlag() throws Exception {
    try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      ServeOptions o = new ServeOptions();
      o.synapse.synapseUrl = synapse.url().toString();
      o.synapse.synapseTokenFile =
          Files.writeString(dir.resolve("synapse-token"), FakeSynapse.TOKEN).toString();
      o.listenAddress = "127.0.0.1:0";
      o.admin.enabled = "true";
      o.admin.listenAddress = "127.0.0.1:" + taken.getLocalPort();
      o.admin.tokenFile =
          Files.writeString(dir.resolve("admin-token"), AdminHarness.ADMIN_TOKEN).toString();
      var config = ConfigValidator.validate(o, new Env(Map.of()));

      assertThatThrownBy(() -> Daemon.start(config, Clock.systemUTC(), BuildInfo.load()))
          .hasMessageStartingWith("--admin.listen-address: cannot listen on 127.0.0.1:");
    }
  }
}
