package io.github.synapsebgu.exporter.testing;

/** Bodies recorded from a real Synapse 1.160 (shared/docs/synapse-admin-api.md), verbatim. */
public final class SynapseBodies {
  public static final String STATUS_PATH = "/_synapse/admin/v1/background_updates/status";

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

  public static final String MISSING_TOKEN =
      "{\"errcode\":\"M_MISSING_TOKEN\",\"error\":\"Missing access token\"}";
  public static final String UNKNOWN_TOKEN =
      "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\",\"soft_logout\":false}";
  public static final String NOT_ADMIN =
      "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"You are not a server admin\"}";
  public static final String UNRECOGNIZED =
      "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}";
  public static final String HTML_502 =
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1>"
          + "</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

  private SynapseBodies() {}
}
