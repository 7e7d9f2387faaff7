package io.github.synapsebgu.exporter.synapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One deadline timer for many clients, as the daemon runs them. */
class RequestDeadlinesTest {
  private FakeSynapse synapse;
  private final RequestDeadlines deadlines = new RequestDeadlines();

  @BeforeEach
  void setUp() {
    synapse = FakeSynapse.start();
    // Each chunk comes well within the socket timeout; only the whole-request deadline stops it.
    synapse.answer(
        Call.STATUS,
        SynapseAnswers.status(SynapseBodies.NOTHING + " ".repeat(60))
            .withChunkedDribbleDelay(50, 10_000));
  }

  @AfterEach
  void tearDown() {
    deadlines.close();
    synapse.stop();
  }

  private SynapseClient client() {
    return new SynapseClient(
        new SynapseHttpSettings(synapse.url(), Duration.ofMillis(700), Optional.empty(), false),
        TokenSource.fixed(new Secret(FakeSynapse.TOKEN), "t"),
        "test",
        deadlines);
  }

  @Test
  void clients_sharing_one_timer_are_each_cut_off_at_their_own_deadline() throws Exception {
    List<SynapseClient> clients = List.of(client(), client(), client());
    try {
      long start = System.nanoTime();
      List<CompletableFuture<FailureReason>> calls = new ArrayList<>();
      for (SynapseClient c : clients) {
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    c.fetchStatus();
                    return null;
                  } catch (SynapseException e) {
                    return e.reason();
                  }
                }));
      }
      for (CompletableFuture<FailureReason> call : calls) {
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(FailureReason.TIMEOUT);
      }
      // Far below the 10 s the bodies take to drip in, with room for a loaded machine.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    } finally {
      for (SynapseClient c : clients) {
        c.close();
      }
    }
  }

  @Test
  void closing_a_client_leaves_the_shared_timer_to_the_others() throws Exception {
    client().close();
    try (SynapseClient other = client()) {
      long start = System.nanoTime();
      assertThatThrownBy(other::fetchStatus)
          .isInstanceOfSatisfying(
              SynapseException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.TIMEOUT));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
  }
}
