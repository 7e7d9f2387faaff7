package io.github.synapsebgu.exporter.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.synapsebgu.exporter.http.Responses;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /targets}: this replica's homeservers as Prometheus HTTP service discovery JSON, one group
 * per homeserver with the file's labels: {@code [{"targets":["NAME"],"labels":{...}}]}. With the
 * usual relabelling to {@code /probe?target=NAME} this is all the Prometheus config a fleet needs.
 * The bytes are made once per set of homeservers (a reload makes a new one).
 */
public final class TargetsEndpoint implements HttpHandler {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Supplier<Map<String, Fleet.Member>> members;
  private volatile Cached cached;

  private record Cached(Map<String, Fleet.Member> members, byte[] json) {}

  public TargetsEndpoint(Supplier<Map<String, Fleet.Member>> members) {
    this.members = members;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Map<String, Fleet.Member> now = members.get();
    Cached c = cached;
    if (c == null || c.members() != now) {
      c = new Cached(now, render(now));
      cached = c;
    }
    Responses.send(exchange, 200, "application/json", c.json());
  }

  static byte[] render(Map<String, Fleet.Member> members) {
    List<Map<String, Object>> groups = new ArrayList<>(members.size());
    for (Fleet.Member m : members.values()) {
      Map<String, Object> group = new LinkedHashMap<>();
      group.put("targets", List.of(m.entry().name()));
      group.put("labels", m.entry().member().labels());
      groups.add(group);
    }
    return JSON.writeValueAsBytes(groups);
  }
}
