package io.github.synapsebgu.exporter.source.database;

import io.github.synapsebgu.exporter.source.database.DatabaseSourceException.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The queries on Synapse's own tables, the same SQL on PostgreSQL and SQLite. Sizes are bounded in
 * the query: a row count cap, and a {@code progress_json} longer than {@link
 * ProgressJson#MAX_CHARS} is not even sent.
 */
final class SynapseTables {
  /**
   * Dozens after a big upgrade; a thousand would be a table Synapse did not write. With the column
   * caps this bounds one read to a few MiB even then (the exporter's heap is 32 MiB).
   */
  static final int MAX_ROWS = 1_000;

  /** Synapse's update names are under 100 characters. */
  static final int MAX_NAME_CHARS = 512;

  /** Synapse's own choice of the next update orders the table this way (see UpdateQueue). */
  static final String QUEUE_SQL =
      "SELECT CASE WHEN length(update_name) <= "
          + MAX_NAME_CHARS
          + " THEN update_name END, ordering,"
          + " CASE WHEN length(depends_on) <= "
          + MAX_NAME_CHARS
          + " THEN depends_on END,"
          + " CASE WHEN length(progress_json) <= "
          + ProgressJson.MAX_CHARS
          + " THEN progress_json END,"
          + " CASE WHEN length(depends_on) > "
          + MAX_NAME_CHARS
          + " THEN 1 ELSE 0 END"
          + " FROM background_updates ORDER BY ordering, update_name";

  static final String SCHEMA_SQL = "SELECT version FROM schema_version";

  private SynapseTables() {}

  /** The rows in Synapse's order, each reduced to what we use. */
  static List<UpdateQueue.Row> queue(Connection connection, String where)
      throws SQLException, DatabaseSourceException {
    List<UpdateQueue.Row> rows = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(QUEUE_SQL)) {
      statement.setMaxRows(MAX_ROWS + 1);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          if (rows.size() == MAX_ROWS) {
            throw new DatabaseSourceException(
                Reason.INVALID_DATA,
                where + ": background_updates has more than " + MAX_ROWS + " rows");
          }
          String name = rs.getString(1);
          if (name == null || name.isEmpty()) {
            throw new DatabaseSourceException(
                Reason.INVALID_DATA,
                where
                    + ": background_updates has a row without a name or with one longer than "
                    + MAX_NAME_CHARS
                    + " characters");
          }
          long ordering = rs.getLong(2);
          String dependsOn = rs.getString(3);
          if (rs.getInt(5) == 1) {
            throw new DatabaseSourceException(
                Reason.INVALID_DATA,
                where + ": background_updates has a depends_on longer than " + MAX_NAME_CHARS);
          }
          rows.add(
              new UpdateQueue.Row(
                  name,
                  ordering,
                  dependsOn == null || dependsOn.isEmpty() ? null : dependsOn,
                  ProgressJson.remaining(rs.getString(4))));
        }
      }
    }
    return rows;
  }

  /** Synapse's schema version; empty when the table has no row (it always has one on Synapse). */
  static OptionalLong schemaVersion(Connection connection, String where)
      throws SQLException, DatabaseSourceException {
    try (PreparedStatement statement = connection.prepareStatement(SCHEMA_SQL)) {
      statement.setMaxRows(2);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return OptionalLong.empty();
        }
        long version = rs.getLong(1);
        if (rs.wasNull() || rs.next()) {
          throw new DatabaseSourceException(
              Reason.INVALID_DATA, where + ": schema_version does not hold exactly one version");
        }
        return OptionalLong.of(version);
      }
    }
  }
}
