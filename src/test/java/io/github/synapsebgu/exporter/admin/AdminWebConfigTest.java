package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.cli.Daemon;
import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.http.webconfig.RawHttp;
import io.github.synapsebgu.exporter.http.webconfig.TestPki;
import io.github.synapsebgu.exporter.http.webconfig.TestPki.Issued;
import io.github.synapsebgu.exporter.testing.Configs;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --admin.web.config.file}: the admin listener behind mutual TLS, in addition to its bearer
 * token.
 */
class AdminWebConfigTest {
  private static final String ADMIN_TOKEN = "adm_0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  private String[] args(FakeSynapse synapse, Path web) throws IOException {
    Files.writeString(dir.resolve("synapse-token"), FakeSynapse.TOKEN);
    Files.writeString(dir.resolve("admin-token"), ADMIN_TOKEN);
    return new String[] {
      "--synapse.url=" + synapse.url(),
      "--synapse.token-file=" + dir.resolve("synapse-token"),
      "--web.listen-address=127.0.0.1:0",
      "--poll.interval=1h",
      "--admin.enabled",
      "--admin.listen-address=127.0.0.1:0",
      "--admin.token-file=" + dir.resolve("admin-token"),
      "--admin.web.config.file=" + web
    };
  }

  @Test
  void servesTheAdminApiOnlyToClientsWithACertificateAndTheToken() throws Exception {
    TestPki.MutualTls pki = TestPki.mutualTls(dir);
    Issued serverCa = pki.serverCa();
    Issued clientCa = pki.clientCa();
    Path web = TestPki.write(dir.resolve("admin-web.yml"), TestPki.MutualTls.TLS_SERVER_CONFIG);
    try (FakeSynapse synapse = FakeSynapse.start();
        Daemon daemon =
            Daemon.start(
                Configs.of(Map.of(), args(synapse, web)), Clock.systemUTC(), BuildInfo.load())) {
      // The status below shows the first poll's data: on a busy machine it lands after the
      // listener.
      AdminHarness.await(() -> daemon.poller().snapshot().firstPollDone(), Duration.ofSeconds(10));
      InetSocketAddress admin = daemon.adminAddress().orElseThrow();
      SSLContext operator = TestPki.client(clientCa, "operator").clientContext(serverCa);

      RawHttp.Response ok = RawHttp.get(operator, admin, "/api/v1/status", "Bearer " + ADMIN_TOKEN);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.body()).contains("populate_stats_process_rooms");

      assertThat(RawHttp.get(operator, admin, "/api/v1/status", "Bearer wrong").status())
          .isEqualTo(401);
      SSLContext stranger = TestPki.trusting(serverCa); // no client certificate
      assertThatThrownBy(
              () -> RawHttp.get(stranger, admin, "/api/v1/status", "Bearer " + ADMIN_TOKEN))
          .isInstanceOf(IOException.class);
      assertThatThrownBy(() -> RawHttp.get(null, admin, "/api/v1/status", "Bearer " + ADMIN_TOKEN))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void refusesBasicAuthForTheAdminListenerBecauseTheBearerTokenNeedsTheSameHeader()
      throws Exception {
    Path web =
        TestPki.write(
            dir.resolve("admin-web.yml"),
            "basic_auth_users:\n  alice: $2y$04$tLsTlXS3YrbUPBODKj2j3OxxJgDRzOQKYF201BaBArW25a22ayita\n");
    try (FakeSynapse synapse = FakeSynapse.start()) {
      assertThatThrownBy(() -> Configs.of(Map.of(), args(synapse, web)))
          .isInstanceOfSatisfying(
              ConfigException.class, e -> assertThat(e.flag()).isEqualTo("--admin.web.config.file"))
          .hasMessageContaining("basic_auth_users");
    }
  }
}
