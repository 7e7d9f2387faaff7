package io.github.synapsebgu.exporter.config;

import java.util.Objects;

/** A homeserver of the {@code --config.file} with its token file open: ready to be polled. */
public record FleetHomeserver(FleetMember member, HomeserverConfig config) {
  public FleetHomeserver {
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(config, "config");
  }

  public String name() {
    return member.name();
  }
}
