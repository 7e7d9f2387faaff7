package io.github.synapsebgu.exporter.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Fleet mode: where the homeservers come from and which of them this replica serves.
 *
 * @param file the {@code --config.file}, reloaded while running; empty for {@code
 *     --demo.homeservers}, whose fleet is made in memory
 * @param defaults what the file's homeservers get for keys they leave out (the flags' values)
 * @param initial the homeservers of this shard at startup, token files open
 * @param enableLifecycle whether {@code POST /-/reload} is accepted
 */
public record FleetSettings(
    Optional<Path> file,
    FleetDefaults defaults,
    Shard shard,
    boolean enableLifecycle,
    List<FleetHomeserver> initial) {
  public FleetSettings {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(shard, "shard");
    initial = List.copyOf(initial);
  }

  /** The file read again (a reload): this shard's homeservers. */
  public List<FleetHomeserver> reload() throws FleetFileException {
    return FleetFile.load(file.orElseThrow(), defaults, shard);
  }
}
