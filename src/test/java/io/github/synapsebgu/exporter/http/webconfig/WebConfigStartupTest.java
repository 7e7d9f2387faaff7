package io.github.synapsebgu.exporter.http.webconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real command line: an unusable web config file stops the exporter before it listens. */
class WebConfigStartupTest {
  static final String MAIN = "io.github.synapsebgu.exporter.cli.Main";

  @TempDir Path dir;

  @Test
  void aBcryptHashThatDoesNotParseIsAnExit2ErrorNamingFileAndUser() throws Exception {
    String bad = "$2y$10$thisIsNotAValidBcryptHash";
    Path file =
        TestPki.write(
            dir.resolve("web.yml"),
            "basic_auth_users:\n  alice: "
                + WebConfigFileFixture.HASH
                + "\n  bob: '"
                + bad
                + "'\n");

    JavaProcess.Result r =
        JavaProcess.run(
            List.of(),
            MAIN,
            List.of("--demo", "--web.listen-address=127.0.0.1:0", "--web.config.file=" + file),
            Map.of(),
            60);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr().strip())
        .isEqualTo(
            "synapse-bgu-exporter: --web.config.file: "
                + file
                + ": basic_auth_users.bob: is not a bcrypt hash (expected 60 characters like"
                + " $2y$10$..., e.g. from `htpasswd -nbBC 10 USER PASSWORD`)");
    assertThat(r.stdout() + r.stderr()).doesNotContain(bad).doesNotContain("Listening");
  }

  @Test
  void theEnvironmentVariableWorksLikeTheFlag() throws Exception {
    JavaProcess.Result r =
        JavaProcess.run(
            List.of(),
            MAIN,
            List.of("--demo", "--web.listen-address=127.0.0.1:0"),
            Map.of("WEB_CONFIG_FILE", dir.resolve("missing.yml").toString()),
            60);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr())
        .contains("--web.config.file: " + dir.resolve("missing.yml") + ": no such file");
  }
}
