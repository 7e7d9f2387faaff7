package io.github.synapsebgu.exporter.synapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The system's TLS trust is only built when Synapse is first reached over https: it must then work
 * exactly as when it was built at startup (verify the certificate, fail as "tls" when it is not
 * trusted), and https keeps working across polls.
 */
class LazyTlsTest {
  // Its certificate is self-signed: no system CA vouches for it.
  @RegisterExtension static final FakeSynapse synapse = FakeSynapse.startHttps();

  private SynapseClient client(boolean insecureSkipVerify) {
    return new SynapseClient(
        new SynapseHttpSettings(
            synapse.url(), Duration.ofSeconds(5), Optional.empty(), insecureSkipVerify),
        TokenSource.fixed(new Secret(FakeSynapse.TOKEN), "t"),
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
