package io.github.synapsebgu.exporter.testing;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.github.synapsebgu.exporter.testing.SynapseBodies.Update;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@link FakeSynapse} models of Synapse, changed by its API as measured on Synapse 1.160
 * (docs/synapse-admin-api.md): the access tokens it knows, the enabled flag, the update running on
 * each database, the jobs queued by start_job, the updater state of each database on the metrics
 * endpoint. Starts as {@link SynapseBodies#RUNNING_12} shows it. Thread-safe: WireMock answers on
 * several threads.
 */
final class SynapseState {
  private static final Update RUNNING_12 =
      Update.onMaster("populate_stats_process_rooms", 12, 19.0, 0.6357220412595005);
  private static final Set<String> JOBS =
      Set.of("populate_stats_process_rooms", "regenerate_directory", "event_resign");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Set<String> tokens;
  private boolean enabled;
  private final Map<String, Update> current = new LinkedHashMap<>();
  private final Set<String> queued = new LinkedHashSet<>();
  private final Map<String, String> updaterStates = new LinkedHashMap<>();

  SynapseState() {
    reset();
  }

  synchronized void reset() {
    tokens = Set.of(FakeSynapse.TOKEN);
    enabled = true;
    current.clear();
    current.put(RUNNING_12.database(), RUNNING_12);
    queued.clear();
    updaterStates.clear();
    updaterStates.put(RUNNING_12.database(), "2.0");
  }

  synchronized void updaterState(String database, String value) {
    updaterStates.put(database, value);
  }

  synchronized ResponseDefinitionBuilder metrics() {
    return SynapseAnswers.metrics(SynapseBodies.metrics(updaterStates));
  }

  synchronized void knownTokens(String... valid) {
    tokens = Set.of(valid);
  }

  /** Synapse's 401 for a request with this Authorization header, or null when it may pass. */
  synchronized ResponseDefinitionBuilder authorize(String authorization) {
    if (authorization == null) {
      return SynapseAnswers.json(401, SynapseBodies.MISSING_TOKEN);
    }
    if (!authorization.startsWith("Bearer ") || authorization.length() == "Bearer ".length()) {
      return SynapseAnswers.json(401, SynapseBodies.MALFORMED_AUTHORIZATION);
    }
    return tokens.contains(authorization.substring("Bearer ".length()))
        ? null
        : SynapseAnswers.unknownToken();
  }

  synchronized boolean enabled() {
    return enabled;
  }

  synchronized void enabled(boolean enabled) {
    this.enabled = enabled;
  }

  synchronized void run(Update update) {
    current.put(update.database(), update);
  }

  synchronized void finish(String database) {
    current.remove(database);
  }

  /**
   * A restart forgets what lives in memory only: a pause, and the counts of the current updates.
   * The queue is a database table, so it stays.
   */
  synchronized void restart() {
    enabled = true;
    current.replaceAll((db, u) -> new Update(db, u.name(), 0, 0.0, null));
  }

  synchronized ResponseDefinitionBuilder status() {
    return SynapseAnswers.status(SynapseBodies.status(enabled, new ArrayList<>(current.values())));
  }

  synchronized ResponseDefinitionBuilder readEnabled() {
    return SynapseAnswers.json(
        200, enabled ? SynapseBodies.ENABLED_TRUE : SynapseBodies.ENABLED_FALSE);
  }

  synchronized ResponseDefinitionBuilder setEnabled(String body) {
    JsonNode request = object(body);
    if (!request.isObject()) {
      return refusal(request);
    }
    JsonNode value = request.path("enabled");
    if (!value.isMissingNode() && !value.isBoolean()) {
      return SynapseAnswers.json(400, SynapseBodies.NOT_BOOLEAN);
    }
    enabled = value.asBoolean(true); // a missing field means true, as in Synapse
    return readEnabled();
  }

  synchronized ResponseDefinitionBuilder startJob(String body) {
    JsonNode request = object(body);
    if (!request.isObject()) {
      return refusal(request);
    }
    JsonNode job = request.path("job_name");
    if (job.isMissingNode()) {
      return SynapseAnswers.json(400, SynapseBodies.MISSING_JOB_NAME);
    }
    String name = job.asString("");
    if (!JOBS.contains(name)) {
      return SynapseAnswers.json(400, SynapseBodies.INVALID_JOB_NAME);
    }
    if (request.has("before_ts") && !request.get("before_ts").isIntegralNumber()) {
      return SynapseAnswers.json(400, SynapseBodies.BEFORE_TS_NOT_INTEGER);
    }
    if (!queued.add(name)) {
      return SynapseAnswers.json(400, SynapseBodies.alreadyQueued(name));
    }
    return SynapseAnswers.json(200, SynapseBodies.JOB_STARTED);
  }

  /** The body as JSON; a missing node when it is not JSON at all. */
  private static JsonNode object(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node == null ? JSON.missingNode() : node;
    } catch (JacksonException e) {
      return JSON.missingNode();
    }
  }

  private static ResponseDefinitionBuilder refusal(JsonNode notAnObject) {
    return SynapseAnswers.json(
        400, notAnObject.isMissingNode() ? SynapseBodies.NOT_JSON : SynapseBodies.NOT_AN_OBJECT);
  }
}
