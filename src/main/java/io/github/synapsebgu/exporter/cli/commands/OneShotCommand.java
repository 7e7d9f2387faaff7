package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.io.IOException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One POST to Synapse with a clear outcome: 0 and a confirmation, 1 with Synapse's refusal text
 * exactly as it sent it, or 3 when Synapse could not be reached or its answer not used.
 */
abstract class OneShotCommand extends SynapseCommand {
  static final String EXIT_CODES_HEADING = "%nExit codes:%n";

  /**
   * Built on first use, not when the class loads: picocli creates every command when the command
   * line is parsed, and the daemon, which never needs a mapper, would pay about 60 ms of startup.
   */
  static JsonMapper mapper() {
    return Mapper.INSTANCE;
  }

  private static final class Mapper {
    static final JsonMapper INSTANCE = JsonMapper.builder().build();
  }

  OneShotCommand(CliContext context) {
    super(context);
  }

  /** What to print (and exit with) once Synapse accepted the request. */
  interface Accepted {
    /**
     * @return the exit code, or {@code -1} when the answer is not what Synapse sends
     */
    int report(String url, JsonNode answer);
  }

  /** Extra text after Synapse's refusal, for refusals with a known cause; empty by default. */
  String refusalHint(SynapseException e) {
    return "";
  }

  final int post(String endpoint, ObjectNode body, Accepted accepted)
      throws ConfigException, IOException {
    try (SynapseClient client = openClient()) {
      String url = displayUrl(client);
      byte[] answer;
      try {
        answer = client.post(endpoint, mapper().writeValueAsBytes(body));
      } catch (SynapseException e) {
        if (e.refusedBySynapse()) {
          err()
              .println(
                  name()
                      + ": Synapse refused the request (HTTP "
                      + e.httpStatus()
                      + ", "
                      + e.errcode().orElseThrow()
                      + "): "
                      + e.error().orElse("(no error text)")
                      + refusalHint(e));
          err().flush();
          return ExitCodes.TIMEOUT_OR_REFUSED;
        }
        err().println(name() + ": " + unreachable(url, e));
        err().flush();
        return ExitCodes.UNREACHABLE;
      }
      JsonNode json;
      try {
        json = mapper().readTree(answer);
      } catch (JacksonException e) {
        json = null;
      }
      int code = json != null && json.isObject() ? accepted.report(url, json) : -1;
      if (code < 0) {
        err()
            .println(
                name()
                    + ": Synapse at "
                    + url
                    + " answered "
                    + endpoint
                    + " with an unexpected body, so the outcome is unknown: "
                    + snippet(answer));
        code = ExitCodes.UNREACHABLE;
      }
      out().flush();
      err().flush();
      return code;
    }
  }

  private static String snippet(byte[] body) {
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
    text = text.replaceAll("[\\p{Cntrl}]+", " ");
    return text.isEmpty() ? "(empty body)" : text.length() > 200 ? text.substring(0, 200) : text;
  }
}
