package io.github.synapsebgu.exporter.page;

import io.github.synapsebgu.exporter.config.HomeserverConfig;
import io.github.synapsebgu.exporter.config.SourcesConfig;
import io.github.synapsebgu.exporter.homeserver.Homeserver;
import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.poll.PollScheduler;
import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.synapse.RequestDeadlines;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Several {@link Homeserver}s built directly, each against its own {@link FakeSynapse}, and a
 * listener serving their status page: the fleet view without fleet mode's config file.
 */
final class Fleet {
  private final PollScheduler scheduler = new PollScheduler();
  private final RequestDeadlines deadlines = new RequestDeadlines();
  private final Map<String, Homeserver> homeservers = new LinkedHashMap<>();
  private final Map<String, FakeSynapse> synapses = new LinkedHashMap<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final Duration interval;
  private WebServer web;

  Fleet(Duration interval) {
    this.interval = interval;
  }

  /** A homeserver with its own fake Synapse, its metrics endpoint watched too. */
  FakeSynapse add(String name) {
    FakeSynapse synapse = FakeSynapse.start();
    open.add(synapse);
    return watch(name, synapse);
  }

  /** A homeserver watching the fake Synapse of {@code other} (a large fleet on few servers). */
  FakeSynapse addSharing(String name, String other) {
    return watch(name, synapses.get(other));
  }

  private FakeSynapse watch(String name, FakeSynapse synapse) {
    synapses.put(name, synapse);
    Homeserver h =
        new Homeserver(
            new HomeserverConfig(
                name,
                Optional.of(
                    new SynapseHttpSettings(
                        synapse.url(), Duration.ofSeconds(5), Optional.empty(), false)),
                Optional.of(TokenSource.fixed(new Secret(FakeSynapse.TOKEN), "test")),
                Duration.ofSeconds(5),
                interval,
                Duration.ofMinutes(5),
                new SourcesConfig(Optional.of(synapse.metricsUrl()), List.of(), Optional.empty())),
            Clock.systemUTC(),
            "test",
            scheduler,
            deadlines);
    open.add(h);
    homeservers.put(name, h);
    return synapse;
  }

  FakeSynapse synapse(String name) {
    return synapses.get(name);
  }

  java.util.Collection<Homeserver> homeservers() {
    return homeservers.values();
  }

  Homeserver homeserver(String name) {
    return homeservers.get(name);
  }

  /** Starts polling and serving; returns once every homeserver's first polls are done. */
  URI start() throws Exception {
    web =
        WebServer.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .routes(
                StatusPage.routes(
                    () -> homeservers.values(), Clock.systemUTC(), "test", "/metrics"))
            .start();
    for (Homeserver h : homeservers.values()) {
      h.start();
    }
    for (Homeserver h : homeservers.values()) {
      Browser.await(() -> h.ready(), "first poll of " + h.name());
      h.metricsSource()
          .ifPresent(
              m -> {
                try {
                  Browser.await(() -> m.snapshot().firstPollDone(), "metrics of " + h.name());
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
    }
    return URI.create("http://127.0.0.1:" + web.address().getPort());
  }

  /** One poll of the admin API now, and the next poll of its metrics endpoint landed. */
  void poll(String name) throws Exception {
    Homeserver h = homeservers.get(name);
    Object before = h.metricsSource().orElseThrow().snapshot();
    h.poller().pollNow().get(10, TimeUnit.SECONDS);
    Browser.await(() -> h.metricsSource().get().snapshot() != before, "metrics poll of " + name);
  }

  void close() throws Exception {
    if (web != null) {
      web.close();
    }
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    deadlines.close();
    scheduler.close();
  }
}
