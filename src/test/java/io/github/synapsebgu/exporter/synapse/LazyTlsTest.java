package io.github.synapsebgu.exporter.synapse;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static io.github.synapsebgu.exporter.testing.SynapseBodies.STATUS_PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The system's TLS trust is only built when Synapse is first reached over https: it must then work
 * exactly as when it was built at startup (verify the certificate, fail as "tls" when it is not
 * trusted), and https keeps working across polls.
 */
class LazyTlsTest {
  private WireMockServer synapse;

  @BeforeEach
  void start() {
    // WireMock's built-in certificate is self-signed: no system CA vouches for it.
    synapse =
        new WireMockServer(
            WireMockConfiguration.options()
                .dynamicHttpsPort()
                .bindAddress("127.0.0.1")
                .notifier(new Slf4jNotifier(false)));
    synapse.start();
    synapse.stubFor(
        get(STATUS_PATH)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(SynapseBodies.RUNNING_12)));
  }

  @AfterEach
  void stop() {
    synapse.stop();
  }

  private SynapseClient client(boolean insecureSkipVerify) {
    return new SynapseClient(
        new SynapseHttpSettings(
            URI.create("https://localhost:" + synapse.httpsPort()),
            Duration.ofSeconds(5),
            Optional.empty(),
            insecureSkipVerify),
        TokenSource.fixed(new Secret("syt_test_token"), "t"),
        "synapse-bgu-exporter/test");
  }

  @Test
  void anUntrustedCertificateFailsAsTlsOnEveryPoll() throws Exception {
    try (SynapseClient client = client(false)) {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(client::fetchStatus)
            .isInstanceOfSatisfying(
                SynapseException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.TLS));
      }
    }
  }

  @Test
  void theSameServerIsReachedWhenVerificationIsSkipped() throws Exception {
    try (SynapseClient client = client(true)) {
      assertThat(client.fetchStatus().currentUpdates()).containsKey("master");
    }
  }
}
