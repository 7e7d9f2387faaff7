package io.github.synapsebgu.exporter.homeserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.config.HomeserverConfig;
import io.github.synapsebgu.exporter.poll.PollScheduler;
import io.github.synapsebgu.exporter.poll.PollSpread;
import io.github.synapsebgu.exporter.secrets.Redactor;
import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.FaultySocketServer;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many homeservers on the process's {@link SharedResources}, as fleet mode runs them: a fixed set
 * of threads however many there are, a hung homeserver never delaying another's poll, and a closed
 * homeserver leaving nothing behind in what they share.
 */
class FleetPollingTest {
  private final SharedResources shared = SharedResources.create("test", false);
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    shared.close();
  }

  private static HomeserverConfig config(String name, URI url, Duration timeout, Duration every) {
    return new HomeserverConfig(
        name,
        Optional.of(new SynapseHttpSettings(url, timeout, Optional.empty(), false)),
        Optional.of(TokenSource.fixed(new Secret(FakeSynapse.TOKEN), "test")),
        timeout,
        every,
        Duration.ofMinutes(5));
  }

  private Homeserver homeserver(HomeserverConfig config) {
    Homeserver h = new Homeserver(config, Clock.systemUTC(), shared, Redactor.of());
    open.add(h);
    return h;
  }

  private static CountDownLatch polls(Homeserver h, int count) {
    CountDownLatch latch = new CountDownLatch(count);
    h.poller().addListener(s -> latch.countDown());
    return latch;
  }

  @Test
  void sixty_homeservers_poll_on_a_fixed_set_of_threads() throws Exception {
    FakeSynapse synapse = FakeSynapse.start();
    open.add(synapse);
    java.util.Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
    List<CountDownLatch> polled = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Homeserver h =
          homeserver(
              config("hs-" + i, synapse.url(), Duration.ofSeconds(10), Duration.ofMillis(200)));
      polled.add(polls(h, 2));
      h.start();
    }
    for (CountDownLatch latch : polled) {
      assertThat(latch.await(20, TimeUnit.SECONDS)).isTrue();
    }
    // The poll timer, the fixed workers, the deadline timer and the HTTP client's two I/O threads
    // and
    // idle-connection evictor: the same for 60 homeservers as for one (before: a thread per
    // homeserver polling, and an evictor thread per homeserver's own client).
    List<String> ours = newThreadsOfOurs(threadsBefore);
    assertThat(ours).as(ours.toString()).hasSizeLessThanOrEqualTo(PollScheduler.WORKERS + 5);
  }

  @Test
  void homeservers_hanging_on_every_worker_do_not_delay_a_healthy_homeservers_polls()
      throws Exception {
    FaultySocketServer hung = FaultySocketServer.start();
    open.add(hung);
    CountDownLatch allHung = new CountDownLatch(PollScheduler.WORKERS * 4);
    hung.behave(
        (socket, request) -> {
          allHung.countDown();
          Thread.sleep(60_000); // never answers; the test ends first
          return false;
        });
    for (int i = 0; i < PollScheduler.WORKERS * 4; i++) {
      homeserver(config("hung-" + i, hung.url(), Duration.ofSeconds(60), Duration.ofMinutes(1)))
          .start();
    }
    // Every hung homeserver has a request in flight, more of them than there are workers.
    assertThat(allHung.await(10, TimeUnit.SECONDS)).isTrue();

    FakeSynapse synapse = FakeSynapse.start();
    open.add(synapse);
    Homeserver healthy =
        homeserver(config("healthy", synapse.url(), Duration.ofSeconds(10), Duration.ofMillis(50)));
    CountDownLatch three = polls(healthy, 3);
    healthy.start();
    // Three polls well within the hung homeservers' 60 s timeout: nothing waits on them.
    assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(healthy.poller().snapshot().up()).isTrue();
    assertThat(synapse.count(Call.STATUS)).isGreaterThanOrEqualTo(3);
  }

  @Test
  void a_closed_homeserver_leaves_no_reference_in_what_homeservers_share() throws Exception {
    FakeSynapse synapse = FakeSynapse.start();
    open.add(synapse);
    Homeserver stays =
        homeserver(config("stays", synapse.url(), Duration.ofSeconds(10), Duration.ofMillis(50)));
    stays.start();
    WeakReference<Homeserver> gone = closedAfterPolling(synapse);
    CountDownLatch stillPolling = polls(stays, 2);
    for (int i = 0; i < 50 && gone.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(gone.get()).as("the closed homeserver is still reachable").isNull();
    assertThat(stillPolling.await(10, TimeUnit.SECONDS)).isTrue(); // the shared parts still work
  }

  /** A homeserver that polled a few times, then closed; only a weak reference is left. */
  private WeakReference<Homeserver> closedAfterPolling(FakeSynapse synapse) throws Exception {
    Homeserver h =
        new Homeserver(
            config("goes", synapse.url(), Duration.ofSeconds(10), Duration.ofMillis(50)),
            Clock.systemUTC(),
            shared,
            Redactor.of());
    CountDownLatch polled = polls(h, 3);
    h.start();
    assertThat(polled.await(10, TimeUnit.SECONDS)).isTrue();
    h.close();
    return new WeakReference<>(h);
  }

  @Test
  void a_fleet_spreads_first_polls_at_each_homeservers_stable_offset() {
    SharedResources fleet =
        new SharedResources(shared.scheduler(), shared.deadlines(), shared.http(), "test", true);
    URI url = URI.create("http://127.0.0.1:9");
    Duration every = Duration.ofSeconds(30);
    Homeserver spread =
        new Homeserver(
            config("example-org", url, every, every), Clock.systemUTC(), fleet, Redactor.of());
    open.add(spread);
    Homeserver single = homeserver(config("example-org", url, every, every));
    assertThat(spread.firstPollDelay()).isEqualTo(PollSpread.offset("example-org", every));
    assertThat(single.firstPollDelay()).isZero(); // one homeserver: ready as soon as possible
  }

  /** Threads started since {@code before}, without the fake Synapse's (Jetty's) ones. */
  private static List<String> newThreadsOfOurs(java.util.Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(
            t ->
                t.isAlive()
                    && !before.contains(t)
                    && !t.getName().startsWith("qtp")
                    && !t.getName().startsWith("Connector-Scheduler"))
        .map(Thread::getName)
        .toList();
  }
}
