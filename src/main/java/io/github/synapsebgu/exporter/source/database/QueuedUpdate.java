package io.github.synapsebgu.exporter.source.database;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One row of {@code background_updates}, placed in Synapse's run order.
 *
 * @param position 0 for the update running now (or next), then 1, 2... in the order Synapse will
 *     run the rest
 * @param ordering the schema version the update came with; 0 for a job started by hand
 * @param dependsOn the update it waits for, when that one is still in the table or named
 * @param remaining items left, where the update's progress_json says so as a non-negative integer
 */
public record QueuedUpdate(
    int position, String name, long ordering, Optional<String> dependsOn, OptionalLong remaining) {}
