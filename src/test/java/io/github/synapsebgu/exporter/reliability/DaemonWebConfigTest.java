package io.github.synapsebgu.exporter.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.http.webconfig.RawHttp;
import io.github.synapsebgu.exporter.http.webconfig.TestPki;
import io.github.synapsebgu.exporter.http.webconfig.TestPki.Issued;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --web.config.file on the real daemon: mutual TLS and basic auth in front of /metrics. */
class DaemonWebConfigTest {
  // `htpasswd -nbBC 10 prometheus scrape-me`
  static final String HASH = "$2y$10$TebIErz2M9QklyMUZcNxXuDWXZKnsVLa1yJOrDd..dbe/IMABplwi";

  @TempDir Path dir;

  @Test
  void metricsAreServedOnlyOverMutualTlsWithTheRightPassword() throws Exception {
    TestPki.MutualTls pki = TestPki.mutualTls(dir);
    Issued serverCa = pki.serverCa();
    Issued clientCa = pki.clientCa();
    Path web =
        TestPki.write(
            dir.resolve("web.yml"),
            TestPki.MutualTls.TLS_SERVER_CONFIG
                + """
            basic_auth_users:
              prometheus: %s
            auth_excluded_paths: [/-/healthy]
            """
                    .formatted(HASH));

    try (FakeSynapse synapse = FakeSynapse.start();
        ExporterUnderTest exporter =
            ExporterUnderTest.start(synapse.url(), Map.of("web.config.file", web.toString()))) {
      InetSocketAddress addr = exporter.daemon().address();
      SSLContext prometheus = TestPki.client(clientCa, "prometheus").clientContext(serverCa);

      RawHttp.Response ok =
          RawHttp.get(prometheus, addr, "/metrics", RawHttp.basic("prometheus", "scrape-me"));
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.body()).contains("synapse_background_updates_up 1");

      RawHttp.Response wrong =
          RawHttp.get(prometheus, addr, "/metrics", RawHttp.basic("prometheus", "guess"));
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.body()).doesNotContain("synapse_background_updates_up");
      assertThat(RawHttp.get(prometheus, addr, "/-/healthy", null).status()).isEqualTo(200);

      assertThatThrownBy(() -> RawHttp.get(null, addr, "/metrics", null))
          .isInstanceOf(IOException.class);
      assertThatThrownBy(
              () ->
                  RawHttp.get(
                      TestPki.trusting(serverCa),
                      addr,
                      "/metrics",
                      RawHttp.basic("prometheus", "scrape-me")))
          .isInstanceOf(IOException.class);
    }
  }
}
