package io.github.synapsebgu.exporter.page;

import java.util.function.Consumer;

/**
 * The frame of every view: head (stylesheet and script of our own origin only; a meta refresh for
 * browsers without JavaScript), the live region the script replaces on refresh, and the footer with
 * the exporter's other endpoints.
 */
final class Layout {
  static final String SCRIPT_PATH = "/status-page.js";
  static final String STYLE_PATH = "/status-page.css";

  private final String version;
  private final String telemetryPath;

  Layout(String version, String telemetryPath) {
    this.version = version;
    this.telemetryPath = telemetryPath;
  }

  /**
   * @param controls markup above the live region that refreshes leave alone (the fleet filter)
   * @param live the region replaced on each refresh
   */
  String page(
      String title, long refreshSeconds, String subtitle, String controls, Consumer<Html> live) {
    return page(title, refreshSeconds, subtitle, controls, live, 4096);
  }

  /**
   * @param size the expected length, so a fleet's table is not copied while it grows
   */
  String page(
      String title,
      long refreshSeconds,
      String subtitle,
      String controls,
      Consumer<Html> live,
      int size) {
    Html h = new Html(size + 2048);
    h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .raw("<noscript><meta http-equiv=\"refresh\"")
        .attr("content", Long.toString(refreshSeconds))
        .raw("></noscript><title>")
        .text(title)
        .raw("</title><link rel=\"stylesheet\"")
        .attr("href", STYLE_PATH)
        .raw("><script defer")
        .attr("src", SCRIPT_PATH)
        .raw("></script></head>\n<body")
        .attr("data-refresh-seconds", Long.toString(refreshSeconds))
        .raw(">\n<header><h1>")
        .text(title)
        .raw("</h1>");
    if (!subtitle.isEmpty()) {
      h.raw("<p class=\"sub\">").raw(subtitle).raw("</p>");
    }
    h.raw("</header>\n").raw(controls).raw("<main id=\"live\" aria-live=\"polite\">\n");
    live.accept(h);
    h.raw("</main>\n<footer><p>synapse-bgu-exporter ")
        .text(version)
        .raw(". Refreshes every ")
        .text(Html.duration(refreshSeconds))
        .raw(". </p><ul class=\"links\"><li><a")
        .attr("href", telemetryPath)
        .raw(">")
        .text(telemetryPath)
        .raw("</a></li><li><a href=\"")
        .raw(OverviewEndpoint.PATH)
        .raw("\">")
        .raw(OverviewEndpoint.PATH)
        .raw(" (JSON)</a></li><li><a href=\"/-/healthy\">/-/healthy</a></li>")
        .raw("<li><a href=\"/-/ready\">/-/ready</a></li></ul></footer>\n</body></html>\n");
    return h.toString();
  }
}
