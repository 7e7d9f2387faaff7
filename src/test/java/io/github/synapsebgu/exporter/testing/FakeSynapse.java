package io.github.synapsebgu.exporter.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.synapsebgu.exporter.testing.SynapseBodies.Update;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Synapse's background-updates admin API at the wire (WireMock on a free loopback port), the one
 * fake homeserver of the tests. By default it answers like Synapse 1.160 did when measured: it
 * checks the token, keeps a {@link SynapseState} that the API changes (a pause, a queued job) and a
 * test can script (updates running, finishing, a restart), and answers an unknown path with 404. A
 * test can also make a call answer something else ({@link #answer}), one answer per request, and
 * ask what was sent ({@link #requests}). Quiet: request headers (the token) never reach test
 * output.
 *
 * <p>Used per test ({@code try (FakeSynapse synapse = FakeSynapse.start())}) or shared by a class
 * as a static {@code @RegisterExtension} field: then reset before each test, closed after the last.
 */
public final class FakeSynapse implements AutoCloseable, BeforeEachCallback, AfterAllCallback {
  /** The access token of a server admin, the only one this Synapse knows unless told others. */
  public static final String TOKEN = "syt_ZmFrZQ_synapseAdminSecret_4d2f9c";

  /**
   * The API's calls: a method on a path below {@link SynapseBodies#API}, and Synapse's own metrics
   * ({@link SynapseBodies#METRICS_PATH}), which a real Synapse serves on its metrics listener
   * without any token: here on the same port, answered without a token check.
   */
  public enum Call {
    STATUS("GET", SynapseBodies.STATUS_PATH),
    READ_ENABLED("GET", SynapseBodies.ENABLED_PATH),
    SET_ENABLED("POST", SynapseBodies.ENABLED_PATH),
    START_JOB("POST", SynapseBodies.START_JOB_PATH),
    METRICS("GET", SynapseBodies.METRICS_PATH);

    final String method;
    final String path;

    Call(String method, String path) {
      this.method = method;
      this.path = path;
    }
  }

  private final WireMockServer server;
  private final URI url;
  private final String prefix;
  private final SynapseState state = new SynapseState();
  private final List<SynapseScript> scripts = new CopyOnWriteArrayList<>();

  private FakeSynapse(boolean https, String prefix) {
    this.prefix = prefix;
    WireMockConfiguration options =
        WireMockConfiguration.options()
            .bindAddress("127.0.0.1")
            .notifier(new Slf4jNotifier(false))
            .extensions(new Router());
    // WireMock's own certificate is self-signed: nothing trusts it unless told to.
    server =
        new WireMockServer(
            https ? options.httpDisabled(true).dynamicHttpsPort() : options.dynamicPort());
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse()));
    // Kept: the URL stays known (and refused) after stop().
    url =
        https
            ? URI.create("https://localhost:" + server.httpsPort())
            : URI.create("http://127.0.0.1:" + server.port());
  }

  public static FakeSynapse start() {
    return new FakeSynapse(false, "");
  }

  /** Over https, with a self-signed certificate, at {@code https://localhost:<port>}. */
  public static FakeSynapse startHttps() {
    return new FakeSynapse(true, "");
  }

  /** Behind a reverse proxy that serves it below {@code prefix}, e.g. {@code /matrix}. */
  public static FakeSynapse startBehind(String prefix) {
    return new FakeSynapse(false, prefix);
  }

  /** The base URL, without the proxy's prefix. */
  public URI url() {
    return url;
  }

  /** The URL of Synapse's own metrics, e.g. for {@code --synapse.metrics-url}. */
  public URI metricsUrl() {
    return URI.create(url + prefix + SynapseBodies.METRICS_PATH);
  }

  // --- Synapse's state ---

  /** Whether background updates are enabled right now. */
  public boolean enabled() {
    return state.enabled();
  }

  /** Another admin paused or resumed updates. */
  public void enabled(boolean enabled) {
    state.enabled(enabled);
  }

  /** An update runs (or has progressed) on its database. */
  public void running(Update update) {
    state.run(update);
  }

  /** The update on this database finished; none runs there now. */
  public void finish(String database) {
    state.finish(database);
  }

  /**
   * The value of {@code synapse_background_update_status} for this database on the metrics
   * endpoint, as Synapse writes it: {@code -1.0} aborted, {@code 0.0} disabled, {@code 1.0} not
   * started, {@code 2.0} running, {@code 3.0} complete. Starts with {@code master} at {@code 2.0}.
   */
  public void updaterState(String database, String value) {
    state.updaterState(database, value);
  }

  /** Synapse restarted: a pause is gone and the current updates count from zero again. */
  public void restart() {
    state.restart();
  }

  /** The access tokens Synapse knows from now on; any other gets 401 M_UNKNOWN_TOKEN. */
  public void knownTokens(String... valid) {
    state.knownTokens(valid);
  }

  /** Synapse stops answering: connections are refused from now on. */
  public void stop() {
    if (server.isRunning()) {
      server.stop();
    }
  }

  // --- answers a test sets ---

  /**
   * The call's requests get these answers instead of the model's, one per request, the last one
   * repeating. The latest script for a call wins; {@link #remove} takes one back.
   */
  public SynapseScript answer(Call call, ResponseDefinitionBuilder... answers) {
    return add(new SynapseScript(call, null, answers));
  }

  /** As {@link #answer(Call, ResponseDefinitionBuilder...)}, for requests with this JSON body. */
  public SynapseScript answer(Call call, String json, ResponseDefinitionBuilder... answers) {
    return add(new SynapseScript(call, json, answers));
  }

  /** One answer per status poll, in order; the last one answers every later poll. */
  public SynapseScript script(ResponseDefinitionBuilder... statusAnswers) {
    return answer(Call.STATUS, statusAnswers);
  }

  public void remove(SynapseScript script) {
    scripts.remove(script);
  }

  private SynapseScript add(SynapseScript script) {
    scripts.add(0, script);
    return script;
  }

  /** Back to a freshly started Synapse: default state and token, no scripts, no requests seen. */
  public void reset() {
    scripts.clear();
    state.reset();
    server.resetRequests();
  }

  // --- what was sent ---

  public List<LoggedRequest> requests(Call call) {
    return server.findAll(pattern(call));
  }

  public int count(Call call) {
    return requests(call).size();
  }

  /** Requests of the call with exactly this JSON body. */
  public int count(Call call, String json) {
    return server.findAll(pattern(call).withRequestBody(equalToJson(json))).size();
  }

  public int enabledPosts(boolean enabled) {
    return count(Call.SET_ENABLED, "{\"enabled\":" + enabled + "}");
  }

  /** Every request, whatever it was. */
  public int requestCount() {
    return server.findAll(anyRequestedFor(anyUrl())).size();
  }

  public int allPosts() {
    return server.findAll(new RequestPatternBuilder(RequestMethod.POST, anyUrl())).size();
  }

  private RequestPatternBuilder pattern(Call call) {
    return new RequestPatternBuilder(
        RequestMethod.fromString(call.method), urlPathEqualTo(prefix + call.path));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    reset();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    stop();
  }

  // --- answering ---

  private ResponseDefinitionBuilder respond(Request request) {
    String path = request.getUrl().split("\\?", 2)[0];
    Call call = null;
    boolean known = false;
    for (Call c : Call.values()) {
      if ((prefix + c.path).equals(path)) {
        known = true;
        if (c.method.equals(request.getMethod().getName())) {
          call = c;
        }
      }
    }
    if (!known) {
      return SynapseAnswers.unrecognized();
    }
    if (call == null) {
      return SynapseAnswers.json(405, SynapseBodies.UNRECOGNIZED);
    }
    ResponseDefinitionBuilder refused =
        call == Call.METRICS ? null : state.authorize(request.getHeader("Authorization"));
    if (refused != null) {
      return refused;
    }
    for (SynapseScript s : scripts) {
      if (s.matches(call, request)) {
        return ResponseDefinitionBuilder.like(s.next());
      }
    }
    return switch (call) {
      case STATUS -> state.status();
      case READ_ENABLED -> state.readEnabled();
      case SET_ENABLED -> state.setEnabled(request.getBodyAsString());
      case START_JOB -> state.startJob(request.getBodyAsString());
      case METRICS -> state.metrics();
    };
  }

  /** Every request goes through here: WireMock is the wire, the answer is worked out above. */
  private final class Router implements ResponseDefinitionTransformerV2 {
    @Override
    public ResponseDefinition transform(ServeEvent event) {
      return respond(event.getRequest()).build();
    }

    @Override
    public String getName() {
      return "fake-synapse";
    }
  }
}
