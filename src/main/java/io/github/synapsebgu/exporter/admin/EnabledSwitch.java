package io.github.synapsebgu.exporter.admin;

import io.github.synapsebgu.exporter.synapse.FailureReason;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Synapse's {@code .../background_updates/enabled}: read it, or set it. */
final class EnabledSwitch {
  private static final byte[] ENABLE = "{\"enabled\":true}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DISABLE = "{\"enabled\":false}".getBytes(StandardCharsets.UTF_8);

  private final SynapseClient client;

  EnabledSwitch(SynapseClient client) {
    this.client = client;
  }

  /** {@code POST enabled}; returns Synapse's answer body. */
  byte[] set(boolean enabled) throws SynapseException {
    return client.post("enabled", enabled ? ENABLE : DISABLE);
  }

  /** {@code GET enabled}: Synapse's flag right now, not as of the last poll. */
  boolean get() throws SynapseException {
    try {
      JsonNode enabled = Json.MAPPER.readTree(client.get("enabled")).path("enabled");
      if (enabled.isBoolean()) {
        return enabled.booleanValue();
      }
    } catch (JacksonException e) {
      // reported below
    }
    throw new SynapseException(
        FailureReason.INVALID_RESPONSE, "GET enabled did not answer {\"enabled\": true|false}");
  }
}
