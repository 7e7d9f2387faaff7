package io.github.synapsebgu.exporter.page;

import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The largest queue the page has seen per homeserver and database since that queue was last empty,
 * so the page can say "6 of 10 done" where the table only says "4 left". One number per database of
 * the homeservers configured now: {@link #retain} drops the others.
 */
final class QueueHighWater {
  private final Map<String, Long> largest = new ConcurrentHashMap<>();

  /** Empty where the pending count is unknown or the queue was empty whenever seen. */
  OptionalLong doneSinceFirstSeen(String homeserver, String database, OptionalLong pending) {
    if (pending.isEmpty()) {
      return OptionalLong.empty();
    }
    long now = pending.getAsLong();
    // An empty queue forgets: the next upgrade's queue is counted from its own start.
    long max =
        largest.merge(key(homeserver, database), now, (old, n) -> n == 0 ? 0 : Math.max(old, n));
    return max == 0 ? OptionalLong.empty() : OptionalLong.of(max - now);
  }

  /** Forgets the homeservers that are not configured any more. */
  void retain(Set<String> homeservers) {
    largest.keySet().removeIf(k -> !homeservers.contains(k.substring(0, k.indexOf('\n'))));
  }

  private static String key(String homeserver, String database) {
    return homeserver + '\n' + database;
  }
}
