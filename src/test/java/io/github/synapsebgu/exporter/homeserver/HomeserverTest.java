package io.github.synapsebgu.exporter.homeserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.config.HomeserverConfig;
import io.github.synapsebgu.exporter.poll.PollScheduler;
import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.synapse.RequestDeadlines;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import io.github.synapsebgu.exporter.testing.Wire;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two homeservers side by side, as one daemon will run them: each its own pipeline. */
class HomeserverTest {
  private final PollScheduler scheduler = new PollScheduler();
  private final RequestDeadlines deadlines = new RequestDeadlines();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    deadlines.close();
    scheduler.close();
  }

  private FakeSynapse synapse(String body, int delayMillis) {
    FakeSynapse s = FakeSynapse.start();
    open.add(s);
    s.answer(Call.STATUS, SynapseAnswers.status(body).withFixedDelay(delayMillis));
    return s;
  }

  private Homeserver homeserver(String name, FakeSynapse synapse) {
    return homeserver(name, synapse, Duration.ofHours(1));
  }

  private Homeserver homeserver(String name, FakeSynapse synapse, Duration interval) {
    synapse.knownTokens("tok-" + name); // each homeserver's own token
    Homeserver h =
        new Homeserver(
            new HomeserverConfig(
                name,
                Optional.of(
                    new SynapseHttpSettings(
                        synapse.url(), Duration.ofSeconds(10), Optional.empty(), false)),
                Optional.of(TokenSource.fixed(new Secret("tok-" + name), "test")),
                Duration.ofSeconds(10),
                interval,
                Duration.ofMinutes(5)),
            Clock.systemUTC(),
            "test",
            scheduler,
            deadlines);
    open.add(h);
    return h;
  }

  private String metrics(Homeserver h) throws Exception {
    return Wire.scrapeOnce(h.metricsEndpoint());
  }

  private static void awaitReady(Homeserver h) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!h.ready() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(h.ready()).as(h.name() + " ready").isTrue();
  }

  @Test
  void each_homeserver_serves_its_own_data_and_is_ready_after_its_own_first_poll()
      throws Exception {
    Homeserver quick = homeserver("quick", synapse(SynapseBodies.RUNNING_12, 0));
    Homeserver slow = homeserver("slow", synapse(SynapseBodies.SPLIT, 1_500));
    assertThat(quick.ready()).isFalse(); // built stopped: nothing polled yet
    slow.start();
    quick.start();
    awaitReady(quick);
    assertThat(slow.ready()).isFalse(); // its first poll is still waiting on its Synapse

    assertThat(metrics(quick))
        .contains("database=\"master\",update=\"populate_stats_process_rooms\"")
        .doesNotContain("basement");
    awaitReady(slow);
    assertThat(metrics(slow))
        .contains("database=\"basement\"")
        .doesNotContain("populate_stats_process_rooms");
  }

  @Test
  void closing_one_homeserver_stops_its_polls_and_leaves_the_other_polling() throws Exception {
    FakeSynapse first = synapse(SynapseBodies.NOTHING, 0);
    FakeSynapse second = synapse(SynapseBodies.NOTHING, 0);
    Homeserver a = homeserver("a", first, Duration.ofMillis(100));
    Homeserver b = homeserver("b", second, Duration.ofMillis(100));
    a.start();
    b.start();
    awaitReady(a);
    awaitReady(b);
    a.close();
    int aPolls = first.count(Call.STATUS);
    int bPolls = second.count(Call.STATUS);
    Thread.sleep(800);
    assertThat(first.count(Call.STATUS)).isEqualTo(aPolls);
    // Every 100 ms, with room for a loaded machine.
    assertThat(second.count(Call.STATUS)).isGreaterThanOrEqualTo(bPolls + 3);
  }
}
