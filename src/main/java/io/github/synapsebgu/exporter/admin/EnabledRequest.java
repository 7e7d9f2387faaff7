package io.github.synapsebgu.exporter.admin;

import io.github.synapsebgu.exporter.config.PromDuration;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code {"enabled": false}}, {@code {"enabled": false, "for": "30m"}} or {@code {"enabled":
 * true}}.
 *
 * @param pauseFor present only for a timed pause
 */
record EnabledRequest(boolean enabled, Optional<Duration> pauseFor) {
  static final Duration MIN_PAUSE = Duration.ofSeconds(1);

  /**
   * Unlike Synapse, which treats a missing {@code enabled} as true, the field is required: a
   * request that says nothing must not resume anything.
   *
   * @throws ApiError 400 naming the field
   */
  static EnabledRequest parse(ObjectNode body, Duration maxPause) throws ApiError {
    RequestBody.rejectUnknownFields(body, List.of("enabled", "for"));
    JsonNode enabled = body.get("enabled");
    if (enabled == null) {
      throw new ApiError(
          Reply.badField("enabled", "missing field \"enabled\" (true to resume, false to pause)"));
    }
    if (!enabled.isBoolean()) {
      throw new ApiError(
          Reply.badField(
              "enabled", "field \"enabled\" must be true or false, got " + Json.kind(enabled)));
    }
    JsonNode pauseFor = body.get("for");
    if (pauseFor == null) {
      return new EnabledRequest(enabled.booleanValue(), Optional.empty());
    }
    if (enabled.booleanValue()) {
      throw new ApiError(
          Reply.badField("for", "field \"for\" is only allowed with \"enabled\": false"));
    }
    if (!pauseFor.isString()) {
      throw new ApiError(
          Reply.badField(
              "for",
              "field \"for\" must be a string with a duration such as \"30m\", got "
                  + Json.kind(pauseFor)));
    }
    Duration d;
    try {
      d = PromDuration.parse(pauseFor.stringValue().strip());
    } catch (IllegalArgumentException e) {
      throw new ApiError(Reply.badField("for", "field \"for\": " + e.getMessage()));
    }
    if (d.compareTo(MIN_PAUSE) < 0) {
      throw new ApiError(Reply.badField("for", "field \"for\" must be at least 1s"));
    }
    if (d.compareTo(maxPause) > 0) {
      throw new ApiError(
          Reply.badField(
              "for",
              "field \"for\" must be at most "
                  + PromDuration.format(maxPause)
                  + " (--admin.max-pause); Synapse's docs warn against long pauses"));
    }
    return new EnabledRequest(false, Optional.of(d));
  }

  Action action() {
    return enabled ? Action.ENABLE : Action.DISABLE;
  }
}
