package io.github.synapsebgu.exporter.source.database;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL server that scripts/ci/postgres.sh starts, found through the environment it
 * prints ({@code eval "$(bash scripts/ci/postgres.sh)"}). Without it the tests are skipped with a
 * note, except under {@code CI=true}, where they fail: CI must never pass by skipping them.
 */
public final class TestPostgres {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  /** Synapse's own DDL for the two tables (docs/synapse-admin-api.md). */
  static final String SYNAPSE_TABLES =
      "CREATE TABLE background_updates (update_name text NOT NULL, progress_json text NOT NULL,"
          + " depends_on text, ordering INT NOT NULL DEFAULT 0,"
          + " CONSTRAINT background_updates_uniqueness UNIQUE (update_name));"
          + "CREATE TABLE schema_version (Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE,"
          + " version INTEGER NOT NULL, upgraded BOOL NOT NULL, CHECK (Lock='X'));";

  final String host;
  final int port;
  final String adminUser;
  final String adminPassword;
  final Path data;
  final Path bin;
  final String osUser;

  private TestPostgres(DatabaseUrl.Postgres url, String password, Path data, Path bin, String os) {
    this.host = url.host();
    this.port = url.port();
    this.adminUser = url.user();
    this.adminPassword = password;
    this.data = data;
    this.bin = bin;
    this.osUser = os;
  }

  /** The server, or the test is skipped (failed under CI) with how to start one. */
  public static TestPostgres require() {
    String url = System.getenv("BGU_TEST_PG_URL");
    String problem;
    if (url == null) {
      problem = "BGU_TEST_PG_URL is not set";
    } else {
      try {
        TestPostgres pg =
            new TestPostgres(
                (DatabaseUrl.Postgres) DatabaseUrlParser.parse(url),
                Files.readString(Path.of(System.getenv("BGU_TEST_PG_PASSWORD_FILE"))).strip(),
                Path.of(System.getenv("BGU_TEST_PG_DATA")),
                Path.of(System.getenv("BGU_TEST_PG_BIN")),
                System.getenv("BGU_TEST_PG_OS_USER"));
        pg.admin("postgres").close();
        return pg;
      } catch (IOException | SQLException | RuntimeException e) {
        problem = "cannot reach it: " + e.getMessage();
      }
    }
    String note =
        "no test PostgreSQL ("
            + problem
            + "): start one with eval \"$(bash scripts/ci/postgres.sh)\" and run again";
    if ("true".equals(System.getenv("CI"))) {
      fail(note);
    }
    Assumptions.abort(note);
    throw new AssertionError("unreachable");
  }

  /** A superuser connection to {@code database}, for setting up what Synapse would. */
  Connection admin(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", adminUser);
    props.setProperty("password", adminPassword);
    return DriverManager.getConnection(
        "jdbc:postgresql://" + host + ":" + port + "/" + database, props);
  }

  /**
   * A fresh database with Synapse's two tables, and a reader role granted as docs/sources.md says.
   */
  public SynapseDatabase createSynapseDatabase(Path dir) throws SQLException, IOException {
    int n = DATABASES.incrementAndGet();
    String suffix = ProcessHandle.current().pid() + "_" + n;
    String database = "synapse_test_" + suffix;
    String role = "bgu_reader_" + suffix;
    String password = "pw-" + java.util.UUID.randomUUID() + " with spaces";
    try (Connection c = admin("postgres");
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE DATABASE "
              + database
              + " ENCODING 'UTF8' LC_COLLATE='C' LC_CTYPE='C' TEMPLATE=template0");
    }
    try (Connection c = admin(database);
        Statement s = c.createStatement()) {
      s.execute(SYNAPSE_TABLES);
      s.execute("INSERT INTO schema_version (version, upgraded) VALUES (92, true)");
      for (String statement : documentedRole(role, password, database)) {
        s.execute(statement);
      }
    }
    Path passwordFile = dir.resolve(role + ".password");
    Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
    return new SynapseDatabase(this, database, role, password, passwordFile);
  }

  /**
   * The role statements of docs/sources.md's sql block, with our names: the documented grants are
   * the ones every test runs with, so the docs cannot drift from what works.
   */
  static List<String> documentedRole(String role, String password, String database)
      throws IOException {
    String doc = Files.readString(Path.of("docs/sources.md"));
    int section = doc.indexOf("## The read-only PostgreSQL role");
    int start = doc.indexOf("```sql\n", section) + "```sql\n".length();
    int end = doc.indexOf("```", start);
    if (section < 0 || start < section || end < 0) {
      throw new IllegalStateException("docs/sources.md has no sql block for the role");
    }
    List<String> statements = new ArrayList<>();
    for (String statement : doc.substring(start, end).split(";")) {
      String sql = statement.replaceAll("(?m)^\\s*--.*$", "").strip();
      if (!sql.isEmpty()) {
        statements.add(
            sql.replace("synapse_bgu_exporter", role)
                .replace("'CHANGE-ME'", "'" + password.replace("'", "''") + "'")
                .replace("DATABASE synapse", "DATABASE " + database));
      }
    }
    return statements;
  }

  /**
   * pg_ctl as the server's owner: {@code stop}, {@code start} or {@code restart}; waits until done.
   * The server's output goes to its log file: a server started with our pipe as its stdout would
   * keep the pipe open for ever.
   */
  void pgCtl(String action) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name")) && !"root".equals(osUser)) {
      command.addAll(List.of("runuser", "-u", osUser, "--"));
    }
    command.add(bin.resolve("pg_ctl").toString());
    command.addAll(List.of("-D", data.toString(), "-w", "-t", "60", "-m", "fast"));
    command.addAll(List.of("-l", data.resolveSibling("server.log").toString(), action));
    Path out = Files.createTempFile("pg_ctl", ".out");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("pg_ctl " + action + " failed: " + Files.readString(out));
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** One test database and its read-only role. */
  public record SynapseDatabase(
      TestPostgres server, String database, String role, String password, Path passwordFile) {
    public String url() {
      return "postgresql://" + role + "@" + server.host + ":" + server.port + "/" + database;
    }

    public Connection admin() throws SQLException {
      return server.admin(database);
    }

    public void execute(String... statements) throws SQLException {
      try (Connection c = admin();
          Statement s = c.createStatement()) {
        for (String sql : statements) {
          s.execute(sql);
        }
      }
    }
  }
}
