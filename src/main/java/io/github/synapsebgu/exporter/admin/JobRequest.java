package io.github.synapsebgu.exporter.admin;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code {"job_name": ..., "old_key"?: string, "before_ts"?: integer}}, the last two only for
 * {@code event_resign}: checked here so a typo never reaches Synapse.
 */
record JobRequest(String jobName, Optional<String> oldKey, OptionalLong beforeTs) {
  static final List<String> JOBS =
      List.of("populate_stats_process_rooms", "regenerate_directory", "event_resign");
  private static final String EVENT_RESIGN = "event_resign";

  /**
   * @throws ApiError 400 naming the field
   */
  static JobRequest parse(ObjectNode body) throws ApiError {
    RequestBody.rejectUnknownFields(body, List.of("job_name", "old_key", "before_ts"));
    JsonNode job = body.get("job_name");
    if (job == null || !job.isString() || !JOBS.contains(job.stringValue())) {
      throw new ApiError(
          Reply.badField(
              "job_name",
              (job == null ? "missing field \"job_name\"" : "invalid field \"job_name\"")
                  + " (one of "
                  + String.join(", ", JOBS)
                  + ")"));
    }
    String name = job.stringValue();
    Optional<String> oldKey = Optional.empty();
    OptionalLong beforeTs = OptionalLong.empty();
    JsonNode key = body.get("old_key");
    if (key != null) {
      onlyForEventResign(name, "old_key");
      if (!key.isString() || key.stringValue().isBlank()) {
        throw new ApiError(
            Reply.badField(
                "old_key", "field \"old_key\" must be a non-empty string, got " + Json.kind(key)));
      }
      oldKey = Optional.of(key.stringValue());
    }
    JsonNode before = body.get("before_ts");
    if (before != null) {
      onlyForEventResign(name, "before_ts");
      if (!before.isIntegralNumber() || !before.canConvertToLong() || before.longValue() < 0) {
        throw new ApiError(
            Reply.badField(
                "before_ts",
                "field \"before_ts\" must be a non-negative integer (milliseconds since the"
                    + " epoch), got "
                    + Json.kind(before)));
      }
      beforeTs = OptionalLong.of(before.longValue());
    }
    return new JobRequest(name, oldKey, beforeTs);
  }

  private static void onlyForEventResign(String job, String field) throws ApiError {
    if (!job.equals(EVENT_RESIGN)) {
      throw new ApiError(
          Reply.badField(
              field,
              "field \"" + field + "\" is only allowed with \"job_name\": \"event_resign\""));
    }
  }

  /** What Synapse gets: only the checked fields, rebuilt rather than forwarded. */
  ObjectNode toSynapse() {
    ObjectNode o = Json.object();
    o.put("job_name", jobName);
    oldKey.ifPresent(k -> o.put("old_key", k));
    if (beforeTs.isPresent()) {
      o.put("before_ts", beforeTs.getAsLong());
    }
    return o;
  }
}
