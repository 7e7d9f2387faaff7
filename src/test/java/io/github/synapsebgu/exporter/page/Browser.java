package io.github.synapsebgu.exporter.page;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Debian's headless Chromium driven through the DevTools protocol (a WebSocket of the JDK, JSON of
 * Jackson): navigate, evaluate, screenshot, and every network request and script error recorded.
 * Absent Chromium skips the test with a note, except under {@code CI=true}, where it fails: CI must
 * never pass by skipping the browser tests ({@code scripts/ci/chromium.sh} installs it).
 */
final class Browser implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  /**
   * Installed before any script of a page: records alerts, script errors and CSP violations, which
   * an escaping test expects to stay empty.
   */
  static final String HOOKS =
      "window.__incidents = [];"
          + "window.alert = function (m) { window.__incidents.push('alert: ' + m); };"
          + "window.addEventListener('error', function (e) {"
          + " window.__incidents.push('error: ' + e.message); }, true);"
          + "document.addEventListener('securitypolicyviolation', function (e) {"
          + " window.__incidents.push('csp: ' + e.violatedDirective); });";

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();

  private Browser(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** The browser, or the test skipped (failed under CI) when Chromium is not installed. */
  static Browser launch() throws Exception {
    Path chromium =
        Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    if (chromium == null) {
      String note =
          "Chromium is not installed: the status page's browser tests need it"
              + " (bash scripts/ci/chromium.sh, or apt-get install chromium)";
      if ("true".equals(System.getenv("CI"))) {
        fail(note + "; CI must run them");
      }
      Assumptions.abort(note);
    }
    Path profile = Files.createTempDirectory("status-page-chromium");
    Process p =
        new ProcessBuilder(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    URI browserWs = devToolsAddress(p);
    HttpClient http = HttpClient.newHttpClient();
    URI list = URI.create("http://" + browserWs.getAuthority() + "/json/list");
    String page = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (page == null && System.nanoTime() < deadline) {
      JsonNode targets =
          JSON.readTree(
              http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString())
                  .body());
      for (JsonNode t : targets) {
        if (t.path("type").asString().equals("page")) {
          page = t.path("webSocketDebuggerUrl").asString();
        }
      }
      if (page == null) {
        Thread.sleep(100);
      }
    }
    if (page == null) {
      p.destroyForcibly();
      throw new IllegalStateException("Chromium opened no page");
    }
    Listener listener = new Listener();
    WebSocket ws =
        http.newWebSocketBuilder().buildAsync(URI.create(page), listener).get(20, TimeUnit.SECONDS);
    Browser b = new Browser(p, profile, ws);
    listener.browser = b;
    b.call("Page.enable", JSON.createObjectNode());
    b.call("Runtime.enable", JSON.createObjectNode());
    b.call("Network.enable", JSON.createObjectNode());
    b.call("Page.addScriptToEvaluateOnNewDocument", JSON.createObjectNode().put("source", HOOKS));
    return b;
  }

  /** Reads Chromium's stderr until it names its DevTools address, then keeps draining it. */
  private static URI devToolsAddress(Process p) throws Exception {
    BufferedReader err =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<URI> found = new CompletableFuture<>();
    Thread drain =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = err.readLine()) != null) {
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    found.complete(URI.create(m.group(1)));
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              found.completeExceptionally(new IllegalStateException("Chromium exited early"));
            },
            "chromium-stderr");
    drain.setDaemon(true);
    drain.start();
    return found.get(30, TimeUnit.SECONDS);
  }

  JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params);
    socket.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
    JsonNode reply = answer.get(30, TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new IllegalStateException(method + ": " + reply.get("error"));
    }
    return reply.path("result");
  }

  /** Opens {@code url} in a window of the given size and waits until it has loaded. */
  void open(String url, int width, int height) throws Exception {
    call(
        "Emulation.setDeviceMetricsOverride",
        JSON.createObjectNode()
            .put("width", width)
            .put("height", height)
            .put("deviceScaleFactor", 1)
            .put("mobile", width < 600));
    call("Page.navigate", JSON.createObjectNode().put("url", url));
    await(() -> "complete".equals(evalQuietly("document.readyState")), "page load of " + url);
  }

  /** The value of a JavaScript expression (JSON-compatible values only). */
  JsonNode eval(String expression) throws Exception {
    JsonNode r =
        call(
            "Runtime.evaluate",
            JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException(expression + ": " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  String evalString(String expression) throws Exception {
    return eval(expression).asString();
  }

  private String evalQuietly(String expression) {
    try {
      return eval(expression).asString();
    } catch (Exception e) {
      return "";
    }
  }

  /** Alerts, script errors and CSP violations the page's hooks saw. */
  List<String> incidents() throws Exception {
    List<String> out = new ArrayList<>();
    eval("window.__incidents || []").forEach(n -> out.add(n.asString()));
    for (JsonNode e : events) {
      String method = e.path("method").asString();
      if (method.equals("Runtime.exceptionThrown")
          || method.equals("Page.javascriptDialogOpening")) {
        out.add(method + ": " + e.path("params"));
      }
    }
    return out;
  }

  /** Every URL the page requested so far. */
  List<String> requestedUrls() {
    List<String> out = new ArrayList<>();
    for (JsonNode e : events) {
      if (e.path("method").asString().equals("Network.requestWillBeSent")) {
        out.add(e.path("params").path("request").path("url").asString());
      }
    }
    return out;
  }

  void screenshot(Path file) throws Exception {
    JsonNode r =
        call(
            "Page.captureScreenshot",
            JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", false));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(r.path("data").asString()));
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      socket.abort();
    } finally {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    volatile Browser browser;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonNode msg = JSON.readTree(partial.toString());
        partial.setLength(0);
        Browser b = browser;
        if (msg.has("id") && b != null) {
          CompletableFuture<JsonNode> f = b.pending.remove(msg.get("id").asInt());
          if (f != null) {
            f.complete(msg);
          }
        } else if (b != null) {
          b.events.add(msg);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
