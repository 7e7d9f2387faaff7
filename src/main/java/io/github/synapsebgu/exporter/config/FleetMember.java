package io.github.synapsebgu.exporter.config;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One entry under {@code homeservers:} of the {@code --config.file}, validated.
 *
 * @param name what {@code /probe?target=} and the admin API take: {@code [a-zA-Z0-9_.-]+}
 * @param line where its entry starts, for errors found when its files are opened
 * @param labels extra target labels for service discovery, sorted by name
 */
public record FleetMember(String name, int line, HomeserverSpec spec, Map<String, String> labels) {
  public FleetMember {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
    labels = Collections.unmodifiableMap(new TreeMap<>(labels));
  }
}
