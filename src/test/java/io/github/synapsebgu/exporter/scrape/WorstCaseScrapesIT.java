package io.github.synapsebgu.exporter.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.synapse.StatusParser;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.WorstCaseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 1: the packaged jar with the shipped {@code deploy/jvm.options} (32 MiB heap, exit
 * on OutOfMemoryError), polling every second the largest status the parser accepts, scraped by as
 * many clients as the listener serves at once (32 workers), in every format, with and without gzip,
 * with the admin API on (so every scrape appends its counters) and the JVM metrics changing every
 * second. No scrape may fail and the process must stay up.
 */
class WorstCaseScrapesIT {
  // -Dworstcase.jar=... runs the same load against another build (for before/after figures).
  private static final Path JAR =
      Path.of(System.getProperty("worstcase.jar", "target/synapse-bgu-exporter.jar"));
  private static final Pattern PORT = Pattern.compile("msg=Listening .*port=(\\d+)");
  private static final int WORKERS = 32; // WebServer's default threads
  private static final long SECONDS = Long.getLong("worstcase.seconds", 20);
  private static final String[] ACCEPTS = {
    null,
    "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;"
        + "version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2",
    "text/plain;version=0.0.4",
  };

  @TempDir Path dir;
  private FakeSynapse synapse;
  private Process exporter;

  @BeforeEach
  void startSynapse() {
    String body = WorstCaseStatus.body();
    assertThat(body.getBytes(StandardCharsets.UTF_8).length)
        .isLessThan(SynapseClient.MAX_BODY_BYTES);
    synapse = FakeSynapse.start();
    synapse.answer(Call.STATUS, SynapseAnswers.status(body));
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (exporter != null) {
      exporter.destroy();
      if (!exporter.waitFor(10, TimeUnit.SECONDS)) {
        exporter.destroyForcibly();
      }
    }
    synapse.stop();
  }

  @Test
  void the_worst_case_the_caps_allow_at_full_concurrency_fails_no_scrape_and_the_process_lives()
      throws Exception {
    Path token = Files.writeString(dir.resolve("token"), FakeSynapse.TOKEN);
    Path adminToken = Files.writeString(dir.resolve("admin-token"), "a".repeat(32));
    Path output = dir.resolve("out.log");
    assertThat(JAR).exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    exporter =
        new ProcessBuilder(
                java,
                "@deploy/jvm.options",
                "-jar",
                JAR.toString(),
                "--synapse.url=" + synapse.url(),
                "--synapse.token-file=" + token,
                "--poll.interval=1s",
                "--web.listen-address=127.0.0.1:0",
                "--admin.enabled",
                "--admin.listen-address=127.0.0.1:0",
                "--admin.token-file=" + adminToken)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    int port = port(output);
    // The first poll of a body this size takes a moment.
    awaitSeries(port);

    AtomicLong scrapes = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
    List<Thread> scrapers = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      String accept = ACCEPTS[i % ACCEPTS.length];
      boolean gzip = (i / ACCEPTS.length) % 2 == 0;
      Thread t =
          new Thread(
              () -> {
                while (System.nanoTime() < end && failures.size() < 10) {
                  try {
                    bytes.addAndGet(scrape(port, accept, gzip));
                    scrapes.incrementAndGet();
                  } catch (IOException | RuntimeException e) {
                    failures.add(accept + " gzip=" + gzip + ": " + e);
                  }
                }
              });
      t.start();
      scrapers.add(t);
    }
    for (Thread t : scrapers) {
      t.join();
    }

    String log = Files.readString(output);
    assertThat(exporter.isAlive()).as("exporter alive; its output:\n%s", tail(log)).isTrue();
    assertThat(failures).as("failed scrapes").isEmpty();
    assertThat(log).doesNotContain("OutOfMemoryError");
    long rssKib = peakRssKib(exporter.pid());
    System.out.printf(
        "worst case: %d scrapes in %d s by %d clients, %d MiB served, exporter peak RSS %d MiB%n",
        scrapes.get(), SECONDS, WORKERS, bytes.get() >> 20, rssKib >> 10);
    assertThat(scrapes.get()).isGreaterThan(WORKERS);
  }

  /** One scrape, read to the end and checked for completeness; returns the body's length. */
  private static long scrape(int port, String accept, boolean gzip) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(30_000);
    if (accept != null) {
      c.setRequestProperty("Accept", accept);
    }
    if (gzip) {
      c.setRequestProperty("Accept-Encoding", "gzip");
    }
    if (c.getResponseCode() != 200) {
      throw new IOException("HTTP " + c.getResponseCode());
    }
    String text;
    try (InputStream raw = c.getInputStream();
        InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int series = count(text, "synapse_background_update_items_processed{");
    if (series != StatusParser.MAX_DATABASES
        || !text.contains("synapse_background_updates_admin_requests_total")
        || (text.contains("# EOF") && !text.endsWith("# EOF\n"))) {
      throw new IOException("incomplete body: " + series + " update series, " + text.length());
    }
    return text.length();
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
      n++;
    }
    return n;
  }

  private int port(Path output) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && exporter.isAlive()) {
      Matcher m = PORT.matcher(Files.readString(output));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no listening line in:\n" + Files.readString(output));
  }

  private void awaitSeries(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && exporter.isAlive()) {
      try {
        scrape(port, null, false);
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new AssertionError("the worst-case series never appeared");
  }

  private static long peakRssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  private static String tail(String log) {
    return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
  }
}
