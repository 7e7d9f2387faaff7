package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.config.FleetHomeserver;
import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code status --config.file FILE} without {@code --target}: every homeserver of the file, read at
 * once (a few at a time), one row each, or {@code {"homeservers": [...]}} with each entry as {@code
 * status --output json} prints it plus its {@code name} (or an {@code error}).
 */
final class FleetStatus {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final int PARALLEL = 8;

  private FleetStatus() {}

  /** One homeserver's answer, or why there is none. */
  record Result(String name, String url, StatusResponse status, SynapseException failure) {}

  static List<Result> readAll(List<FleetHomeserver> fleet, String userAgent, PrintWriter err)
      throws ConfigException, InterruptedException {
    List<SynapseClient> clients = new ArrayList<>();
    try {
      for (FleetHomeserver h : fleet) {
        clients.add(FleetCommands.client(h.config(), userAgent, err));
      }
      ExecutorService pool =
          Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL, fleet.size())));
      try {
        List<Future<Result>> answers = new ArrayList<>();
        for (int i = 0; i < fleet.size(); i++) {
          String name = fleet.get(i).name();
          SynapseClient c = clients.get(i);
          answers.add(pool.submit(() -> read(name, c)));
        }
        List<Result> out = new ArrayList<>();
        for (Future<Result> f : answers) {
          try {
            out.add(f.get());
          } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
          }
        }
        return out;
      } finally {
        pool.shutdownNow();
      }
    } finally {
      for (SynapseClient c : clients) {
        try {
          c.close();
        } catch (java.io.IOException e) {
          // closing a client of a one-shot command: nothing to do
        }
      }
    }
  }

  private static Result read(String name, SynapseClient c) {
    String url = c.settings().displayUrl();
    try {
      return new Result(name, url, c.fetchStatus(), null);
    } catch (SynapseException e) {
      return new Result(name, url, null, e);
    }
  }

  static String table(List<Result> results) {
    int width = "HOMESERVER".length();
    for (Result r : results) {
      width = Math.max(width, r.name().length());
    }
    StringBuilder out = new StringBuilder();
    out.append(pad("HOMESERVER", width)).append("  STATE    RUNNING\n");
    for (Result r : results) {
      out.append(pad(r.name(), width)).append("  ");
      if (r.status() == null) {
        out.append("error    ")
            .append(Terminal.visible(SynapseCommand.unreachable(r.url(), r.failure())));
      } else {
        out.append(r.status().enabled() ? "enabled  " : "paused   ");
        List<String> running = new ArrayList<>();
        for (Map.Entry<String, CurrentUpdate> e : r.status().currentUpdates().entrySet()) {
          running.add(
              Terminal.visible(e.getKey() + ": " + e.getValue().name())
                  + " ("
                  + Formats.items(e.getValue().totalItemCount())
                  + " items)");
        }
        out.append(running.isEmpty() ? "-" : String.join(", ", running));
      }
      out.append('\n');
    }
    return out.toString();
  }

  static String json(List<Result> results) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode list = root.putArray("homeservers");
    for (Result r : results) {
      ObjectNode one;
      if (r.status() != null) {
        one = (ObjectNode) MAPPER.readTree(StatusCommandJson.render(r.url(), r.status()));
      } else {
        one = MAPPER.createObjectNode();
        one.put("synapse_url", r.url());
        ObjectNode error = one.putObject("error");
        error.put("reason", r.failure().reason().label());
        error.put("message", r.failure().getMessage());
      }
      ObjectNode named = MAPPER.createObjectNode();
      named.put("name", r.name());
      named.setAll(one);
      list.add(named);
    }
    return MAPPER.writeValueAsString(root);
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
