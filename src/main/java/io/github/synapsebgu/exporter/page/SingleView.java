package io.github.synapsebgu.exporter.page;

import io.github.synapsebgu.exporter.page.HomeserverView.DatabaseView;
import io.github.synapsebgu.exporter.page.HomeserverView.Failure;
import io.github.synapsebgu.exporter.page.HomeserverView.IndexProgress;
import io.github.synapsebgu.exporter.page.HomeserverView.Queued;
import io.github.synapsebgu.exporter.page.HomeserverView.Running;
import io.github.synapsebgu.exporter.page.HomeserverView.SourceHealth;
import java.util.OptionalDouble;

/**
 * The live region of one homeserver's view: state, health, and per database what runs and waits.
 */
final class SingleView {
  private SingleView() {}

  static void render(Html h, HomeserverView v, long now) {
    h.raw("<section aria-labelledby=\"h-summary\"><h2 id=\"h-summary\">Summary</h2>")
        .raw("<dl class=\"facts\"><dt>State</dt><dd>");
    FleetView.badge(h, v.state());
    h.raw("</dd><dt>Background updates</dt><dd id=\"enabled\">").text(enabled(v, now));
    h.raw("</dd><dt>Last successful poll</dt><dd id=\"last-success\"")
        .attr("data-value", Double.toString(v.lastSuccessEpochSeconds()))
        .raw(">")
        .text(
            v.lastSuccessEpochSeconds() == 0
                ? "none yet"
                : Html.time(v.lastSuccessEpochSeconds())
                    + " ("
                    + Html.relative(v.lastSuccessEpochSeconds(), now)
                    + ")")
        .raw("</dd><dt>Last poll took</dt><dd>")
        .text(Html.duration(v.lastPollDurationSeconds()))
        .raw("</dd><dt>Sources</dt><dd>")
        .text(v.up() ? "admin_api up" : "admin_api down");
    for (SourceHealth s : v.sources()) {
      h.text(", " + s.source() + (s.up() ? " up" : " down"));
    }
    h.raw("</dd></dl></section>\n");
    if (!v.failures().isEmpty()) {
      failures(h, v, now);
    }
    if (v.databases().isEmpty()) {
      h.raw("<p class=\"empty\">")
          .text(v.firstPollDone() ? "No background update runs." : "Waiting for the first poll.")
          .raw("</p>\n");
    }
    for (DatabaseView d : v.databases()) {
      database(h, d, now);
    }
  }

  private static String enabled(HomeserverView v, long now) {
    if (v.enabled().isEmpty()) {
      return "unknown";
    }
    if (v.enabled().get()) {
      return "enabled";
    }
    OptionalDouble until = v.pauseUntilEpochSeconds();
    return until.isPresent()
        ? "paused until "
            + Html.time(until.getAsDouble())
            + " ("
            + Html.relative(until.getAsDouble(), now)
            + ")"
        : "paused";
  }

  private static void failures(Html h, HomeserverView v, long now) {
    h.raw("<section aria-labelledby=\"h-problems\" class=\"problems\">")
        .raw("<h2 id=\"h-problems\">Problems</h2><table id=\"failures\"><thead><tr>")
        .raw("<th scope=\"col\">Source</th><th scope=\"col\">Reason</th>")
        .raw(
            "<th scope=\"col\">Last failed</th><th scope=\"col\">What to do</th></tr></thead><tbody>");
    for (Failure f : v.failures()) {
      h.raw("<tr><td>")
          .text(f.source())
          .raw("</td><td><code>")
          .text(f.reason())
          .raw("</code></td><td>")
          .text(Html.relative(f.epochMillis() / 1000.0, now))
          .raw("</td><td>")
          .text(f.hint())
          .raw("</td></tr>");
    }
    h.raw("</tbody></table></section>\n");
  }

  private static void database(Html h, DatabaseView d, long now) {
    String id = "db-" + Html.queryValue(d.name());
    h.raw("<section class=\"database\"")
        .attr("aria-labelledby", id)
        .attr("data-database", d.name())
        .raw("><h2")
        .attr("id", id)
        .raw(">Database <code>")
        .text(d.name())
        .raw("</code></h2><dl class=\"facts\"><dt>Updater</dt><dd class=\"updater\">")
        .text(d.updaterState().orElse("unknown (no metrics endpoint)"))
        .raw("</dd>");
    if (d.schemaVersion().isPresent()) {
      h.raw("<dt>Schema version</dt><dd>").text(Long.toString(d.schemaVersion().getAsLong()));
      h.raw("</dd>");
    }
    if (d.pending().isPresent()) {
      h.raw("<dt>Pending</dt><dd class=\"pending\">").text(Long.toString(d.pending().getAsLong()));
      h.raw("</dd>");
    }
    h.raw("</dl>");
    d.running().ifPresent(r -> running(h, r, now));
    indexBuilds(h, d);
    queue(h, d);
    h.raw("</section>\n");
  }

  private static void running(Html h, Running r, long now) {
    h.raw("<table class=\"running\"><caption>Running now</caption><thead><tr>")
        .raw("<th scope=\"col\">Update</th><th scope=\"col\">Items</th><th scope=\"col\">Rate</th>")
        .raw("<th scope=\"col\">Run time</th><th scope=\"col\">Last progress</th>")
        .raw("<th scope=\"col\">Items left</th><th scope=\"col\">Estimated end</th></tr></thead>")
        .raw("<tbody><tr><th scope=\"row\"><code>")
        .text(r.update())
        .raw("</code></th>")
        .numberCell(OptionalDouble.of(r.items()), Html.count(r.items()))
        .numberCell(r.itemsPerSecond(), Html.rate(r.itemsPerSecond()))
        .numberCell(OptionalDouble.of(r.durationSeconds()), Html.duration(r.durationSeconds()))
        .numberCell(
            OptionalDouble.of(r.lastProgressEpochSeconds()),
            Html.relative(r.lastProgressEpochSeconds(), now))
        .numberCell(
            r.itemsRemaining(),
            r.itemsRemaining().isPresent() ? Html.count(r.itemsRemaining().getAsDouble()) : "–")
        .numberCell(
            r.estimatedRemainingSeconds(),
            r.estimatedRemainingSeconds().isPresent()
                ? Html.time(now / 1000.0 + r.estimatedRemainingSeconds().getAsDouble())
                    + " (in "
                    + Html.duration(r.estimatedRemainingSeconds().getAsDouble())
                    + ")"
                : "–")
        .raw("</tr></tbody></table>");
    if (r.itemsRemaining().isPresent()) {
      double left = r.itemsRemaining().getAsDouble();
      bar(h, "Items of " + r.update(), r.items(), r.items() + left);
    }
  }

  private static void indexBuilds(Html h, DatabaseView d) {
    for (IndexProgress b : d.indexBuilds()) {
      h.raw("<p class=\"index\">Index build <code>")
          .text(b.index())
          .raw("</code> on <code>")
          .text(b.table())
          .raw("</code>: ")
          .text(b.phase())
          .raw("</p>");
      if (b.blocksDone().isPresent() && b.blocksExpected().orElse(0) > 0) {
        bar(
            h,
            "Blocks of " + b.index(),
            b.blocksDone().getAsDouble(),
            b.blocksExpected().getAsDouble());
      }
      if (b.tuplesDone().isPresent() && b.tuplesExpected().orElse(0) > 0) {
        bar(
            h,
            "Tuples of " + b.index(),
            b.tuplesDone().getAsDouble(),
            b.tuplesExpected().getAsDouble());
      }
    }
  }

  private static void queue(Html h, DatabaseView d) {
    if (d.queue().isEmpty()) {
      return;
    }
    if (d.doneSinceFirstSeen().isPresent()) {
      long done = d.doneSinceFirstSeen().getAsLong();
      bar(h, "Queue done since first seen", done, done + d.pending().orElse(0));
    }
    h.raw("<table class=\"queue\"><caption>Queue, in run order</caption><thead><tr>")
        .raw("<th scope=\"col\">#</th><th scope=\"col\">Update</th>")
        .raw("<th scope=\"col\">Waits for</th><th scope=\"col\">Schema version</th>")
        .raw("<th scope=\"col\">Items left</th></tr></thead><tbody>");
    for (Queued q : d.queue()) {
      h.raw("<tr>")
          .numberCell(OptionalDouble.of(q.position()), Long.toString(q.position()))
          .raw("<th scope=\"row\"><code>")
          .text(q.update())
          .raw("</code></th><td>")
          .text(q.dependsOn().orElse("–"))
          .raw("</td>")
          // ordering is the schema version x 100 + n by Synapse's convention; 0 for a job started
          // by
          // hand, which came with no schema (as `status` prints it).
          .numberCell(
              q.ordering() >= 100 ? OptionalDouble.of(q.ordering() / 100) : OptionalDouble.empty(),
              q.ordering() >= 100 ? Long.toString(q.ordering() / 100) : "–")
          .numberCell(
              q.itemsRemaining(),
              q.itemsRemaining().isPresent() ? Html.count(q.itemsRemaining().getAsDouble()) : "–")
          .raw("</tr>");
    }
    h.raw("</tbody></table>");
  }

  /** A labelled progress bar; {@code <progress>} needs no inline style, which the CSP forbids. */
  private static void bar(Html h, String label, double done, double total) {
    long percent = Math.round(100 * done / total);
    h.raw("<p class=\"bar\"><label>")
        .text(label + ": " + Html.count(done) + " of " + Html.count(total) + " (" + percent + "%)")
        .raw("<progress")
        .attr("max", Double.toString(total))
        .attr("value", Double.toString(done))
        .raw(">")
        .text(percent + "%")
        .raw("</progress></label></p>");
  }
}
