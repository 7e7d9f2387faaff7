package io.github.synapsebgu.exporter.page;

import io.github.synapsebgu.exporter.homeserver.Homeserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the page and its JSON twin show at one moment: one view per configured homeserver, in
 * the configured order, and how many are in each state.
 *
 * @param refreshSeconds how often the page reloads itself: the shortest poll interval, since
 *     nothing changes in between
 */
public record Overview(
    long generatedEpochMillis,
    long refreshSeconds,
    List<HomeserverView> homeservers,
    Map<FleetState, Integer> counts) {

  public Overview {
    homeservers = List.copyOf(homeservers);
    counts = Map.copyOf(counts);
  }

  /** Most urgent first, then by name: the fleet table's order when no script sorts it. */
  public List<HomeserverView> byUrgency() {
    List<HomeserverView> sorted = new ArrayList<>(homeservers);
    sorted.sort(Comparator.comparing(HomeserverView::state).thenComparing(HomeserverView::name));
    return sorted;
  }

  /** Builds the views; reads only the snapshots each homeserver already holds. */
  static Overview of(Collection<Homeserver> all, Views views, long now) {
    List<HomeserverView> list = new ArrayList<>(all.size());
    Map<FleetState, Integer> counts = new EnumMap<>(FleetState.class);
    for (FleetState s : FleetState.values()) {
      counts.put(s, 0);
    }
    Duration refresh = null;
    for (Homeserver h : all) {
      HomeserverView v = views.of(h);
      list.add(v);
      counts.merge(v.state(), 1, Integer::sum);
      Duration interval = h.config().pollInterval();
      refresh = refresh == null || interval.compareTo(refresh) < 0 ? interval : refresh;
    }
    // Nothing changes between polls; past a minute the relative times ("12 s ago") would lag.
    long seconds = refresh == null ? 15 : Math.min(60, Math.max(1, refresh.toSeconds()));
    return new Overview(now, seconds, list, counts);
  }
}
