package io.github.synapsebgu.exporter.fleet;

import io.github.synapsebgu.exporter.config.FleetHomeserver;
import io.github.synapsebgu.exporter.config.HomeserverConfig;
import io.github.synapsebgu.exporter.homeserver.Homeserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The homeservers of fleet mode, as one immutable state swapped atomically: a scrape, a probe or
 * the admin API sees the old set or the new one, never half of a reload. {@link #apply} keeps the
 * {@link Homeserver} of every entry whose settings did not change (its counters, last progress and
 * timed pauses stay), closes removed and changed ones, and starts new ones.
 */
public final class Fleet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Fleet.class);

  /** Makes one homeserver, stopped (the daemon's {@code new Homeserver(...)}). */
  @FunctionalInterface
  public interface Factory {
    Homeserver create(HomeserverConfig config) throws IOException;
  }

  /** Told of every homeserver started and closed (fleet-wide metrics, the admin API). */
  public interface Watcher {
    void started(Homeserver homeserver);

    void closing(Homeserver homeserver);
  }

  /** One entry of the file and the homeserver that polls it. */
  public record Member(FleetHomeserver entry, Homeserver homeserver) {}

  /** What a reload did, for its log line. */
  public record Change(int added, int changed, int removed, int kept) {
    @Override
    public String toString() {
      return "added=" + added + " changed=" + changed + " removed=" + removed + " kept=" + kept;
    }
  }

  private record State(Map<String, Member> members, Map<String, Homeserver> homeservers) {
    static final State EMPTY = new State(Map.of(), Map.of());
  }

  private final Factory factory;
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private final AtomicReference<State> state = new AtomicReference<>(State.EMPTY);
  private boolean closed;

  public Fleet(Factory factory) {
    this.factory = factory;
  }

  /** Before the first {@link #apply}: it sees every homeserver started from then on. */
  public void watch(Watcher watcher) {
    watchers.add(watcher);
  }

  /** The members by name, in the file's order. */
  public Map<String, Member> members() {
    return state.get().members();
  }

  /** The homeservers by name, in the file's order: an immutable snapshot. */
  public Map<String, Homeserver> homeservers() {
    return state.get().homeservers();
  }

  /**
   * Makes {@code next} the running set. All new homeservers are made before anything changes: if
   * one cannot be made, the running set stays as it was.
   *
   * @throws IOException or a RuntimeException from the factory; nothing changed then
   */
  public synchronized Change apply(List<FleetHomeserver> next) throws IOException {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    Map<String, Member> old = state.get().members();
    Map<String, Member> members = new LinkedHashMap<>();
    List<Homeserver> created = new ArrayList<>();
    int changed = 0;
    try {
      for (FleetHomeserver e : next) {
        Member was = old.get(e.name());
        if (was != null && was.entry().member().spec().equals(e.member().spec())) {
          members.put(e.name(), new Member(e, was.homeserver())); // labels may have changed
          continue;
        }
        if (was != null) {
          changed++;
        }
        Homeserver h = factory.create(e.config());
        created.add(h);
        members.put(e.name(), new Member(e, h));
      }
    } catch (IOException | RuntimeException ex) {
      created.forEach(Fleet::closeQuietly);
      throw ex;
    }
    Map<String, Homeserver> homeservers = new LinkedHashMap<>();
    members.forEach((name, m) -> homeservers.put(name, m.homeserver()));
    state.set(
        new State(Collections.unmodifiableMap(members), Collections.unmodifiableMap(homeservers)));
    Set<Homeserver> running = Collections.newSetFromMap(new IdentityHashMap<>());
    running.addAll(homeservers.values());
    int removed = 0;
    for (Member m : old.values()) {
      if (!running.contains(m.homeserver())) {
        stop(m.homeserver());
        if (!members.containsKey(m.entry().name())) {
          removed++;
        }
      }
    }
    for (Homeserver h : created) {
      watchers.forEach(w -> w.started(h));
      h.start();
    }
    return new Change(created.size() - changed, changed, removed, members.size() - created.size());
  }

  private void stop(Homeserver h) {
    for (Watcher w : watchers) {
      try {
        w.closing(h);
      } catch (RuntimeException e) {
        log.atWarn().setCause(e).log("Error while removing a homeserver");
      }
    }
    closeQuietly(h);
  }

  @Override
  public synchronized void close() {
    closed = true;
    State s = state.getAndSet(State.EMPTY);
    s.homeservers().values().forEach(this::stop);
  }

  private static void closeQuietly(Homeserver h) {
    try {
      h.close();
    } catch (RuntimeException e) {
      log.atDebug().setCause(e).log("Error while closing");
    }
  }
}
