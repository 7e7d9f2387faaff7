package io.github.synapsebgu.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.config.ConfigValidator;
import io.github.synapsebgu.exporter.config.Env;
import io.github.synapsebgu.exporter.config.Flag;
import io.github.synapsebgu.exporter.config.FlagCatalog;
import io.github.synapsebgu.exporter.config.ServeOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * A plain start reads its flags with {@link CatalogParser}, without picocli; whatever it takes must
 * come out exactly as picocli's command line (the one {@link PlainStart#commandLine} builds) reads
 * it, for every flag of the catalog in every form, and whatever picocli would read otherwise must
 * be declined.
 */
class CatalogParserTest {
  private static final Map<String, String> ENV = Map.of("SYNAPSE_ADMIN_TOKEN", "t");

  /** Every field of the options, written out by hand (not from the parser's own table). */
  private static List<Object> fields(ServeOptions o) {
    return Arrays.asList(
        o.synapse.synapseUrl,
        o.synapse.synapseTokenFile,
        o.synapse.synapseTimeout,
        o.synapse.synapseCaFile,
        o.synapse.synapseInsecure,
        o.sources.metricsUrl,
        List.copyOf(o.sources.databaseUrls),
        o.sources.passwordFile,
        o.pollInterval,
        o.staleAfter,
        o.listenAddress,
        o.telemetryPath,
        o.webConfigFile,
        o.disableExporterMetrics,
        o.logLevel,
        o.logFormat,
        o.demo,
        o.admin.enabled,
        o.admin.listenAddress,
        o.admin.tokenFile,
        o.admin.maxPause,
        o.admin.webConfigFile,
        o.fleet.configFile,
        o.fleet.configCheck,
        o.fleet.shard,
        o.fleet.enableLifecycle,
        o.fleet.demoHomeservers);
  }

  /** The options as today's picocli command line for a plain start parses them. */
  private static ServeOptions picocli(String... args) {
    CommandLine cli = PlainStart.commandLine(ENV);
    cli.parseArgs(args);
    return ((PlainStart.DaemonFlags) cli.getCommand()).options;
  }

  /** Each way of giving a flag, with a second flag around it where that changes the reading. */
  private static List<String[]> forms(Flag<?> flag) {
    String f = flag.name();
    String other = FlagCatalog.POLL_INTERVAL.name();
    List<String[]> forms = new ArrayList<>();
    forms.add(new String[] {f + "=v1"});
    forms.add(new String[] {f + "=a=b"});
    forms.add(new String[] {f + "="});
    forms.add(new String[] {f + "=-x"});
    forms.add(new String[] {f, "v1"});
    forms.add(new String[] {f, "two words"});
    forms.add(new String[] {f, "v1", other, "5s"});
    forms.add(new String[] {other, "5s", f + "=v1"});
    forms.add(new String[] {f, "v1", f, "v2"}); // the last one, or both for --database.url
    forms.add(new String[] {f + "=v1", f + "=v2", f + "=v3"});
    if (flag.onOff()) {
      forms.add(new String[] {f});
      forms.add(new String[] {f, other, "5s"});
      forms.add(new String[] {f, other + "=5s"});
      forms.add(new String[] {other, "5s", f});
      forms.add(new String[] {f, "false"});
      forms.add(new String[] {f, "no"});
      forms.add(new String[] {f + "=false", f});
      forms.add(new String[] {f, f + "=false"});
    }
    return forms;
  }

  @Test
  void every_flag_in_every_form_reads_as_picocli_reads_it() {
    int compared = 0;
    for (Flag<?> flag : FlagCatalog.DAEMON) {
      for (String[] args : forms(flag)) {
        String line = String.join(" ", args);
        assertThat(PlainStart.applies(args)).as(line).isTrue();
        Optional<ServeOptions> ours = CatalogParser.parse(args);
        assertThat(ours).as("%s is read without picocli", line).isPresent();
        assertThat(fields(ours.get())).as(line).isEqualTo(fields(picocli(args)));
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(10 * FlagCatalog.DAEMON.size());
  }

  @Test
  void a_whole_start_gives_the_same_configuration() throws Exception {
    String[] args = {
      "--synapse.url",
      "http://synapse:8008/prefix",
      "--synapse.timeout=3s",
      "--synapse.tls.insecure-skip-verify",
      "--synapse.metrics-url=http://synapse:9000/_synapse/metrics",
      "--database.url",
      "main=sqlite:/tmp/homeserver.db",
      "--database.url=state=sqlite:/tmp/state.db",
      "--poll.interval",
      "30s",
      "--poll.stale-after=10m",
      "--web.listen-address",
      "127.0.0.1:0",
      "--web.telemetry-path=/m",
      "--web.disable-exporter-metrics",
      "false",
      "--log.level=debug",
      "--log.format",
      "json",
      "--poll.interval=20s",
    };
    Env env = new Env(ENV);

    String ours = ConfigValidator.validate(CatalogParser.parse(args).orElseThrow(), env).describe();

    assertThat(ours).isEqualTo(ConfigValidator.validate(picocli(args), env).describe());
    assertThat(ours).contains("20s").contains("/m");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--no-such-flag",
        "--synapse.token=secret",
        "--poll.interval", // no value
        "--poll.interval --demo", // an option where the value goes
        "--poll.interval -5s",
        "--demo --no-such-flag",
        "--demo -x",
        "-x",
        "bare-word",
        "--demo bare-word extra",
        "--",
        "--synapse.url=http://x --",
      })
  void what_picocli_might_read_otherwise_is_left_to_it(String line) {
    String[] args = line.split(" ");
    assertThat(CatalogParser.parse(args)).isEmpty();
    assertThat(PlainStart.run(args, ENV, new PrintWriter(new StringWriter()))).isEmpty();
  }

  private record Outcome(int code, String err) {}

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--poll.interval=fast",
        "--synapse.url=gopher://x",
        "--web.listen-address=nope",
        "--log.level=loud",
        "--demo=maybe",
        "--config.file=/no/such/file --demo",
      })
  void a_failing_start_is_worded_as_picocli_words_it(String line) {
    String[] args = ("--synapse.url=http://localhost:1 " + line).split(" ");

    Outcome ours = ours(args);

    assertThat(ours).isEqualTo(viaPicocli(args));
    assertThat(ours.code()).isEqualTo(2);
    assertThat(ours.err()).startsWith("synapse-bgu-exporter: --");
  }

  @Test
  void a_busy_listen_address_is_worded_as_picocli_words_it() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String[] args = {"--demo", "--web.listen-address=127.0.0.1:" + busy.getLocalPort()};

      Outcome ours = ours(args);

      assertThat(ours).isEqualTo(viaPicocli(args));
      assertThat(ours.code()).isEqualTo(1);
      assertThat(ours.err()).contains("cannot listen on 127.0.0.1:" + busy.getLocalPort());
    }
  }

  private static Outcome ours(String[] args) {
    StringWriter err = new StringWriter();
    int code = PlainStart.run(args, ENV, new PrintWriter(err)).orElseThrow();
    return new Outcome(code, err.toString());
  }

  private static Outcome viaPicocli(String[] args) {
    StringWriter err = new StringWriter();
    CommandLine cli = PlainStart.commandLine(ENV);
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Outcome(code, err.toString());
  }
}
