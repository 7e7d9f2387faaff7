package io.github.synapsebgu.exporter.cds;

import com.sun.net.httpserver.HttpServer;
import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.cli.CatalogParser;
import io.github.synapsebgu.exporter.cli.Daemon;
import io.github.synapsebgu.exporter.config.ConfigValidator;
import io.github.synapsebgu.exporter.config.Env;
import io.github.synapsebgu.exporter.config.ExporterConfig;
import io.github.synapsebgu.exporter.config.ServeOptions;
import io.github.synapsebgu.exporter.logging.LoggingSetup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * The training run for the AppCDS archive that {@code deploy/jvm.options} points the JVM at. The
 * build runs it as {@code java -XX:DumpLoadedClassList=... @deploy/jvm.options -cp
 * target/synapse-bgu-exporter.jar ...TrainingRun}, then dumps a static archive of the classes it
 * listed ({@code -Xshare:dump}), so the classes a real start loads are mapped, not parsed and
 * verified, at every later start.
 *
 * <p>It starts the daemon as {@code Main} does against a homeserver on loopback that answers like
 * Synapse, waits for the first poll, scrapes every endpoint in the formats Prometheus asks for,
 * stops, and exits. Nothing leaves the machine; it takes about two seconds.
 */
public final class TrainingRun {
  /** Two databases, rates set: what a split-database Synapse reports mid-migration. */
  private static final byte[] STATUS =
      ("{\"enabled\":true,\"current_updates\":{"
              + "\"main\":{\"name\":\"populate_stats_process_rooms\",\"total_item_count\":12,"
              + "\"total_duration_ms\":19.0,\"average_items_per_ms\":0.6357220412595005},"
              + "\"state\":{\"name\":\"state_group_state_deduplication\",\"total_item_count\":3,"
              + "\"total_duration_ms\":7.5,\"average_items_per_ms\":0.4}}}")
          .getBytes(StandardCharsets.UTF_8);

  private static final String[][] REQUESTS = {
    {"GET", "/metrics", ""},
    {"GET", "/metrics", "Accept-Encoding: gzip\r\n"},
    {
      "GET",
      "/metrics",
      "Accept: application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;"
          + "version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2\r\n"
          + "Accept-Encoding: gzip\r\n"
    },
    {"HEAD", "/metrics", ""},
    {"GET", "/-/ready", ""},
    {"GET", "/-/healthy", ""},
    {"GET", "/", ""},
    {"GET", "/nope", ""},
  };

  private TrainingRun() {}

  public static void main(String[] args) throws Exception {
    PrintStream err = System.err;
    HttpServer synapse =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    synapse.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, STATUS.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(STATUS);
          }
        });
    synapse.start();
    try {
      String[] flags = {
        "--synapse.url=http://127.0.0.1:" + synapse.getAddress().getPort(),
        "--web.listen-address=127.0.0.1:0"
      };
      Map<String, String> env = Map.of("SYNAPSE_ADMIN_TOKEN", "training");
      // As a real start parses its flags (PlainStart, CatalogParser: no picocli). Not Main's whole
      // command line: its commands pulled ~500 classes (picocli's models of every command, the
      // commands, Jackson databind through their JSON) into the archive, which a daemon maps,
      // relocates and so keeps resident at every start without ever using them (bench/README.md);
      // picocli itself (~165 classes) is loaded only by a start that needs it, from the jar.
      ServeOptions options =
          CatalogParser.parse(flags)
              .orElseThrow(() -> new IllegalStateException("not a plain start"));
      ExporterConfig config = ConfigValidator.validate(options, new Env(env));
      // The daemon logs at info as in production (so that code is trained too), into nothing.
      System.setErr(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
      LoggingSetup.apply(config.server().log());
      try (Daemon daemon = Daemon.start(config, Clock.systemUTC(), BuildInfo.load())) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!daemon.poller().snapshot().firstPollDone()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the daemon's first poll did not finish in 30 s");
          }
          Thread.sleep(10);
        }
        for (int round = 0; round < 20; round++) {
          for (String[] r : REQUESTS) {
            request(daemon.address().getPort(), r[0], r[1], r[2]);
          }
        }
      }
    } catch (Exception e) {
      System.setErr(err);
      err.println("synapse-bgu-exporter CDS training run failed: " + e);
      System.exit(1);
    } finally {
      synapse.stop(0);
    }
    System.setErr(err);
    System.exit(0);
  }

  /** One request on a fresh connection; returns the status code. */
  private static int request(int port, String method, String path, String headers)
      throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (method
                  + " "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                  + headers
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] response = in.readAllBytes();
      String head =
          new String(response, 0, Math.min(12, response.length), StandardCharsets.US_ASCII);
      if (!head.startsWith("HTTP/1.1 ")) {
        throw new IOException(method + " " + path + ": no HTTP answer");
      }
      return Integer.parseInt(head.substring(9, 12));
    }
  }
}
