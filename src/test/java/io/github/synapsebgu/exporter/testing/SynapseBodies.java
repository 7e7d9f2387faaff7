package io.github.synapsebgu.exporter.testing;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The paths of Synapse's background-updates admin API and the bodies a real Synapse 1.160 sent on
 * them (docs/synapse-admin-api.md), verbatim; plus {@link #status} to build a status body of the
 * same shape from values. Declared here once, for every fake and test.
 */
public final class SynapseBodies {
  public static final String API = "/_synapse/admin/v1/background_updates/";
  public static final String STATUS_PATH = API + "status";
  public static final String ENABLED_PATH = API + "enabled";
  public static final String START_JOB_PATH = API + "start_job";

  /** Synapse's own metrics, on its metrics listener: no token (docs/synapse-admin-api.md). */
  public static final String METRICS_PATH = "/_synapse/metrics";

  /** The content type of Synapse 1.160's metrics listener. */
  public static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  // GET status
  public static final String NULL_RATE =
      "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":\"populate_user_directory_process_users\","
          + "\"total_item_count\":0,\"total_duration_ms\":0.0,\"average_items_per_ms\":null}}}";
  public static final String RUNNING_2 =
      "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":\"populate_stats_process_rooms\","
          + "\"total_item_count\":2,\"total_duration_ms\":4.0,\"average_items_per_ms\":0.5}}}";
  public static final String RUNNING_12 =
      "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":\"populate_stats_process_rooms\","
          + "\"total_item_count\":12,\"total_duration_ms\":19.0,\"average_items_per_ms\":0.6357220412595005}}}";
  public static final String PAUSED =
      "{\"enabled\":false,\"current_updates\":{\"master\":{\"name\":\"room_membership_user_room_index\","
          + "\"total_item_count\":0,\"total_duration_ms\":0.0,\"average_items_per_ms\":null}}}";
  public static final String NOTHING = "{\"enabled\":true,\"current_updates\":{}}";
  public static final String SPLIT =
      "{\"enabled\":true,\"current_updates\":{\"basement\":{\"name\":\"populate_stats_process_users\","
          + "\"total_item_count\":1,\"total_duration_ms\":3.0,\"average_items_per_ms\":0.3333333333333333}}}";

  // GET and POST enabled, POST start_job
  public static final String ENABLED_TRUE = "{\"enabled\":true}";
  public static final String ENABLED_FALSE = "{\"enabled\":false}";
  public static final String JOB_STARTED = "{}";
  public static final String NOT_BOOLEAN =
      "{\"errcode\":\"M_UNKNOWN\",\"error\":\"'enabled' parameter must be a boolean\"}";
  public static final String INVALID_JOB_NAME =
      "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Invalid job_name\"}";
  public static final String MISSING_JOB_NAME =
      "{\"errcode\":\"M_MISSING_PARAM\",\"error\":\"Missing params: ['job_name']\"}";
  public static final String BEFORE_TS_NOT_INTEGER =
      "{\"errcode\":\"M_UNKNOWN\",\"error\":\"'before_ts' must be an integer\"}";
  public static final String NOT_JSON =
      "{\"errcode\":\"M_NOT_JSON\",\"error\":\"Content not JSON.\"}";
  public static final String NOT_AN_OBJECT =
      "{\"errcode\":\"M_BAD_JSON\",\"error\":\"Content must be a JSON object.\"}";

  // Errors common to all
  public static final String MISSING_TOKEN =
      "{\"errcode\":\"M_MISSING_TOKEN\",\"error\":\"Missing access token\"}";
  public static final String MALFORMED_AUTHORIZATION =
      "{\"errcode\":\"M_MISSING_TOKEN\",\"error\":\"Invalid Authorization header.\"}";
  public static final String UNKNOWN_TOKEN =
      "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\",\"soft_logout\":false}";
  public static final String NOT_ADMIN =
      "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"You are not a server admin\"}";
  public static final String UNRECOGNIZED =
      "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}";

  /** What Synapse answers when a request fails unexpectedly (from its source; not measured). */
  public static final String INTERNAL_ERROR =
      "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Internal server error\"}";

  /** Not Synapse's: the 502 page of nginx in front of a Synapse that is down. */
  public static final String HTML_502 =
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1>"
          + "</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

  private SynapseBodies() {}

  /** The update running on one database, as the status API lists it. */
  public record Update(
      String database, String name, long items, double durationMs, Double itemsPerMs) {
    /** The update that runs on {@code master}, the database of a single-database Synapse. */
    public static Update onMaster(String name, long items, double durationMs, Double itemsPerMs) {
      return new Update("master", name, items, durationMs, itemsPerMs);
    }
  }

  /** A status body in Synapse's shape and number format (it reproduces the recorded ones). */
  public static String status(boolean enabled, Iterable<Update> updates) {
    StringJoiner current = new StringJoiner(",", "{", "}");
    for (Update u : updates) {
      current.add(
          String.format(
              Locale.ROOT,
              "\"%s\":{\"name\":\"%s\",\"total_item_count\":%d,\"total_duration_ms\":%s,"
                  + "\"average_items_per_ms\":%s}",
              u.database(),
              u.name(),
              u.items(),
              Double.toString(u.durationMs()),
              u.itemsPerMs() == null ? "null" : Double.toString(u.itemsPerMs())));
    }
    return "{\"enabled\":" + enabled + ",\"current_updates\":" + current + "}";
  }

  public static String status(boolean enabled, Update... updates) {
    return status(enabled, java.util.List.of(updates));
  }

  /**
   * A metrics body as Synapse 1.160 writes its updater gauge: one series per database, the value as
   * written ({@code -1.0} aborted ... {@code 3.0} complete), server {@code test.local}.
   */
  public static String metrics(Map<String, String> updaterStates) {
    StringBuilder body =
        new StringBuilder(
            "# HELP synapse_background_update_status Background update status\n"
                + "# TYPE synapse_background_update_status gauge\n");
    updaterStates.forEach(
        (database, value) ->
            body.append("synapse_background_update_status{database_name=\"")
                .append(database)
                .append("\",server_name=\"test.local\"} ")
                .append(value)
                .append('\n'));
    return body.toString();
  }

  /** Synapse's refusal of a job that is queued already. */
  public static String alreadyQueued(String job) {
    return "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Job "
        + job
        + " is already in queue of background updates.\"}";
  }
}
