package io.github.synapsebgu.exporter.page;

import io.github.synapsebgu.exporter.page.HomeserverView.Running;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The fleet table: one row per homeserver, most urgent first, counts on top. Rows carry their state
 * and name as data attributes and numbers as {@code data-value}, which the script sorts and filters
 * by; without the script the server's order is the reading order.
 */
final class FleetView {
  private FleetView() {}

  /** The filter form, shown by the script only (it does nothing without one). */
  static final String CONTROLS =
      "<form id=\"controls\" class=\"controls\" role=\"search\" hidden>"
          + "<label for=\"filter\">Filter by name or update</label>"
          + "<input id=\"filter\" type=\"search\" autocomplete=\"off\">"
          + "<label for=\"state-filter\">State</label><select id=\"state-filter\">"
          + "<option value=\"\">all</option>"
          + options()
          + "</select></form>\n";

  private static String options() {
    StringBuilder b = new StringBuilder();
    for (FleetState s : FleetState.values()) {
      b.append("<option value=\"").append(s.label()).append("\">");
      b.append(s.title()).append("</option>");
    }
    return b.toString();
  }

  static String render(Overview o) {
    Html h = new Html(expectedSize(o));
    render(h, o);
    return h.toString();
  }

  /** About what a row takes, so the builder is sized once. */
  static int expectedSize(Overview o) {
    return 1024 + o.homeservers().size() * 420;
  }

  static void render(Html h, Overview o) {
    List<HomeserverView> rows = o.byUrgency();
    h.raw("<ul class=\"counts\" aria-label=\"Homeservers by state\">");
    for (FleetState s : FleetState.values()) {
      h.raw("<li")
          .attr("class", "count state-" + s.label())
          .attr("data-state", s.label())
          .raw("><span class=\"n\">")
          .text(Integer.toString(o.counts().getOrDefault(s, 0)))
          .raw("</span> ")
          .text(s.title())
          .raw("</li>");
    }
    h.raw("</ul>\n<table id=\"fleet\"><caption>")
        .text(rows.size() + " homeservers, most urgent first")
        .raw("</caption><thead><tr>")
        .raw("<th scope=\"col\" data-sort=\"text\">Homeserver</th>")
        .raw("<th scope=\"col\" data-sort=\"state\">State</th>")
        .raw("<th scope=\"col\" data-sort=\"text\">Current update</th>")
        .raw("<th scope=\"col\" data-sort=\"number\">Time left</th>")
        .raw("<th scope=\"col\" data-sort=\"number\">Pending</th>")
        .raw("<th scope=\"col\" data-sort=\"number\">Last successful poll</th>")
        .raw("<th scope=\"col\" data-sort=\"text\">Reason</th></tr></thead><tbody>\n");
    for (HomeserverView v : rows) {
      row(h, v, o.generatedEpochMillis());
    }
    h.raw("</tbody></table>\n");
  }

  private static void row(Html h, HomeserverView v, long now) {
    h.raw("<tr")
        .attr("data-state", v.state().label())
        .attr("data-rank", Integer.toString(v.state().ordinal()))
        .raw("><th scope=\"row\">")
        .homeserverLink(v.name())
        .raw("</th><td>");
    badge(h, v.state());
    h.raw("</td><td class=\"update\">");
    Optional<Running> current = v.current();
    if (current.isPresent()) {
      h.raw("<code>")
          .text(current.get().update())
          .raw("</code> on <code>")
          .text(current.get().database())
          .raw("</code>");
    }
    OptionalDouble left = v.timeLeftSeconds();
    h.raw("</td>")
        .numberCell(left, left.isPresent() ? Html.duration(left.getAsDouble()) : "")
        .numberCell(
            v.pending().isPresent()
                ? OptionalDouble.of(v.pending().getAsLong())
                : OptionalDouble.empty(),
            v.pending().isPresent() ? Long.toString(v.pending().getAsLong()) : "")
        .numberCell(
            OptionalDouble.of(v.lastSuccessEpochSeconds()),
            v.lastSuccessEpochSeconds() == 0
                ? "none"
                : Html.relative(v.lastSuccessEpochSeconds(), now))
        .raw("<td class=\"reason\">");
    if (!v.failures().isEmpty()) {
      h.raw("<code>").text(v.failures().get(0).reason()).raw("</code> (");
      h.text(v.failures().get(0).source()).raw(")");
    }
    h.raw("</td></tr>\n");
  }

  static void badge(Html h, FleetState s) {
    h.raw("<span")
        .attr("class", "badge state-" + s.label())
        .raw(">")
        .text(s.title())
        .raw("</span>");
  }
}
