package io.github.synapsebgu.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every class a daemon loads is resident for its whole life (in the class-data archive or in
 * metaspace), so a feature that is off must not load its classes (bench/README.md has the figures).
 * A daemon runs in a child JVM with {@code -verbose:class} until it has polled and answered a
 * scrape; the classes it printed are checked.
 */
class FeatureClassLoadingTest {
  /** Classes of features a plain start (no web config, no admin API, http:// URL) does not use. */
  private static final List<String> UNUSED_AT_A_PLAIN_START =
      List.of(
          "org.bouncycastle.", // bcrypt and PEM: only with a web config's basic auth or TLS
          "org.snakeyaml.", // YAML: only with a web config
          "tools.jackson.dataformat.yaml.",
          "tools.jackson.databind.", // the poll reads Synapse's JSON with the streaming parser
          "sun.security.ssl.", // TLS: only for an https:// homeserver or a TLS listener
          "io.github.synapsebgu.exporter.admin.",
          "picocli.", // a plain start reads its flags with CatalogParser
          "io.github.synapsebgu.exporter.cli.commands.StatusCommand ",
          "io.github.synapsebgu.exporter.cli.commands.WaitCommand ",
          "io.github.synapsebgu.exporter.cli.commands.PauseCommand ",
          "io.github.synapsebgu.exporter.cli.commands.ResumeCommand ",
          "io.github.synapsebgu.exporter.cli.commands.StartJobCommand ");

  private static final Pattern LOADED = Pattern.compile("\\[class,load\\] (\\S+) source");
  private static final Pattern LISTENING =
      Pattern.compile("msg=Listening address=\\S+ port=(\\d+)");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  @RegisterExtension static final FakeSynapse synapse = FakeSynapse.start();
  @TempDir Path dir;

  @BeforeEach
  void splitSynapse() {
    synapse.script(SynapseAnswers.status(SynapseBodies.SPLIT));
  }

  @Test
  void a_plain_start_loads_no_class_of_a_feature_it_does_not_use() throws Exception {
    Set<String> loaded = classesLoadedByADaemon(List.of());

    // The check sees the daemon's own classes (it would pass vacuously otherwise).
    assertThat(loaded).contains("io.github.synapsebgu.exporter.scrape.ScrapeEndpoint ");
    for (String prefix : UNUSED_AT_A_PLAIN_START) {
      assertThat(loaded).noneMatch(name -> name.startsWith(prefix));
    }
  }

  @Test
  void the_admin_api_loads_its_classes_once_it_is_enabled() throws Exception {
    Path token = Files.writeString(dir.resolve("admin-token"), "admin-token-for-a-test\n");

    Set<String> loaded =
        classesLoadedByADaemon(
            List.of(
                "--admin.enabled",
                "--admin.listen-address=127.0.0.1:0",
                "--admin.token-file=" + token));

    assertThat(loaded).anyMatch(name -> name.startsWith("io.github.synapsebgu.exporter.admin."));
  }

  /**
   * Starts the daemon in a child JVM with {@code -verbose:class}, waits for the first poll and a
   * scrape, stops it and returns the names it loaded, each followed by a space.
   */
  private Set<String> classesLoadedByADaemon(List<String> extraFlags) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of("-verbose:class", "-Xshare:off", "-cp", System.getProperty("java.class.path")));
    command.add(Launcher.class.getName()); // the jar's entry point
    command.add("--synapse.url=" + synapse.url());
    command.add("--web.listen-address=127.0.0.1:0");
    command.addAll(extraFlags);
    // Files, not pipes: nothing has to drain them while the daemon runs, and nothing is lost when
    // it exits.
    Path out = dir.resolve("stdout");
    Path log = dir.resolve("stderr");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile());
    pb.redirectError(log.toFile());
    pb.environment().put("SYNAPSE_ADMIN_TOKEN", FakeSynapse.TOKEN);
    Process daemon = pb.start();
    try {
      int port = listeningPort(daemon, log);
      await200(port, "/-/ready"); // the first poll is done
      await200(port, "/metrics");
      daemon.destroy();
      assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).as("the daemon stops on SIGTERM").isTrue();
      Set<String> loaded = new TreeSet<>();
      Matcher m = LOADED.matcher(Files.readString(out));
      while (m.find()) {
        loaded.add(m.group(1) + " ");
      }
      return loaded;
    } finally {
      daemon.destroyForcibly();
    }
  }

  /** Waits until the daemon's log names the port it listens on. */
  private static int listeningPort(Process daemon, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(Files.readString(log));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      if (!daemon.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "the daemon did not listen within 20 s; its log:\n" + Files.readString(log));
  }

  private void await200(int port, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not answering yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no 200 on " + path + " within 20 s");
  }
}
