package io.github.synapsebgu.exporter.source.database;

import java.util.OptionalLong;

/**
 * One {@code CREATE INDEX} in progress in the database, from PostgreSQL's {@code
 * pg_stat_progress_create_index}. Index-building updates report 0 items until the build ends (often
 * hours): this is their only real progress. A counter is empty where PostgreSQL has none yet (or
 * the role lacks {@code pg_read_all_stats}, which hides other sessions' numbers).
 *
 * @param phase PostgreSQL's phase text, e.g. {@code building index: scanning table}
 * @param command {@code CREATE INDEX}, {@code CREATE INDEX CONCURRENTLY}, {@code REINDEX}...
 */
public record IndexBuild(
    String table,
    String index,
    String command,
    String phase,
    OptionalLong blocksDone,
    OptionalLong blocksTotal,
    OptionalLong tuplesDone,
    OptionalLong tuplesTotal) {}
