package io.github.synapsebgu.exporter.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.cli.Daemon;
import io.github.synapsebgu.exporter.http.webconfig.RawHttp;
import io.github.synapsebgu.exporter.http.webconfig.TestPki;
import io.github.synapsebgu.exporter.testing.Configs;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page goes through the same listener as /metrics: its web config (TLS, basic auth) too. */
class StatusPageWebConfigTest {
  // `htpasswd -nbBC 10 prometheus scrape-me`
  private static final String HASH = "$2y$10$TebIErz2M9QklyMUZcNxXuDWXZKnsVLa1yJOrDd..dbe/IMABplwi";

  @TempDir Path dir;

  @Test
  void the_page_and_its_json_need_tls_and_the_password_like_metrics() throws Exception {
    TestPki.MutualTls pki = TestPki.mutualTls(dir);
    Path web =
        TestPki.write(
            dir.resolve("web.yml"),
            TestPki.MutualTls.TLS_SERVER_CONFIG
                + "basic_auth_users:\n  prometheus: %s\n".formatted(HASH));
    try (FakeSynapse synapse = FakeSynapse.start();
        Daemon daemon =
            Daemon.start(
                Configs.of(
                    Map.of("SYNAPSE_ADMIN_TOKEN", FakeSynapse.TOKEN),
                    "--synapse.url=" + synapse.url(),
                    "--web.listen-address=127.0.0.1:0",
                    "--web.config.file=" + web,
                    "--poll.interval=1h"),
                Clock.systemUTC(),
                BuildInfo.load())) {
      daemon.poller().pollNow().get(10, TimeUnit.SECONDS);
      InetSocketAddress addr = daemon.address();
      SSLContext client = TestPki.client(pki.clientCa(), "browser").clientContext(pki.serverCa());
      String right = RawHttp.basic("prometheus", "scrape-me");
      for (String path : new String[] {"/", "/api/v1/overview", "/status-page.js"}) {
        RawHttp.Response ok = RawHttp.get(client, addr, path, right);
        assertThat(ok.status()).as(path).isEqualTo(200);
        assertThat(ok.header("Content-Security-Policy")).as(path).contains("default-src 'none'");
        RawHttp.Response wrong =
            RawHttp.get(client, addr, path, RawHttp.basic("prometheus", "guess"));
        assertThat(wrong.status()).as(path).isEqualTo(401);
        assertThat(wrong.body()).as(path).doesNotContain("populate_stats_process_rooms");
        assertThatThrownBy(() -> RawHttp.get(null, addr, path, right))
            .as(path)
            .isInstanceOf(IOException.class);
      }
      assertThat(RawHttp.get(client, addr, "/", right).body())
          .contains("populate_stats_process_rooms");
    }
  }
}
