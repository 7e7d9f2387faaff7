package io.github.synapsebgu.exporter.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.synapsebgu.exporter.testing.LogCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token file must be a small regular file; anything else never blocks nor floods memory. */
class FileTokenSourceTest {
  static final String GOOD = "syt_Z29vZA_aGVsbG8gd29ybGQ_1a2b3c";
  static final String ROTATED = "syt_cm90YXRlZA_c2Vjb25kIHRva2Vu_4d5e6f";

  @TempDir Path dir;
  private Path fifo;

  @AfterEach
  void unblockAStuckReader() {
    if (fifo == null) {
      return;
    }
    // Code that opened the pipe to read is stuck until someone opens it to write; that open
    // blocks as well when nobody is stuck, so it runs on a thread of its own.
    Thread writer =
        new Thread(
            () -> {
              // WRITE without CREATE: once the temp dir is cleaned up, this must not make a file
              // where the pipe was (that raced the clean-up and failed the test now and then).
              try (OutputStream out = Files.newOutputStream(fifo, StandardOpenOption.WRITE)) {
                out.write('\n');
              } catch (IOException ignored) {
                // the pipe is gone with the temp dir: nobody was stuck
              }
            });
    writer.setDaemon(true);
    writer.start();
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  /** A later modification time, so the change is seen whatever the file system's resolution. */
  private static void touchLater(Path p, int seconds) throws IOException {
    Files.setLastModifiedTime(p, FileTime.from(Instant.now().plusSeconds(seconds)));
  }

  private static List<String> warnings(LogCapture logs) {
    return logs.lines().stream().filter(l -> l.contains("level=warn")).toList();
  }

  @Test
  void a_token_file_over_4_KiB_is_refused_naming_the_file_and_its_size() throws IOException {
    Path big = file("token", "a".repeat(8 * 1024 * 1024));

    assertThatThrownBy(() -> FileTokenSource.open(big, "--synapse.token-file"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot read token file "
                + big
                + ": the file is larger than 4096 bytes (8388608 bytes)");
  }

  @Test
  void a_token_of_4_KiB_is_still_accepted() throws IOException {
    String token = "t".repeat(FileTokenSource.MAX_BYTES - 1);
    Path p = file("token", token + "\n");

    assertThat(FileTokenSource.open(p, "--admin.token-file").current().reveal()).isEqualTo(token);
  }

  @Test
  void a_directory_is_refused_as_not_a_regular_file() throws IOException {
    Path d = Files.createDirectory(dir.resolve("token.d"));

    assertThatThrownBy(() -> FileTokenSource.open(d, "--synapse.token-file"))
        .hasMessageContaining(d + ": it is a directory, not a regular file");
  }

  @Test
  void a_token_file_rewritten_to_8_MB_keeps_the_last_good_token_with_one_warning()
      throws IOException {
    Path p = file("token", GOOD + "\n");
    FileTokenSource source = FileTokenSource.open(p, "--synapse.token-file");
    try (LogCapture logs = new LogCapture()) {
      Files.writeString(p, "b".repeat(8 * 1024 * 1024));
      touchLater(p, 10);
      for (int i = 0; i < 50; i++) {
        assertThat(source.current().reveal()).isEqualTo(GOOD);
      }
      assertThat(warnings(logs))
          .singleElement()
          .asString()
          .contains("Cannot re-read token file, keeping the last good token")
          .contains("larger than 4096 bytes")
          .doesNotContain("bbbb");

      // Fixed: the new token is used at once.
      Files.writeString(p, ROTATED);
      touchLater(p, 20);
      assertThat(source.current().reveal()).isEqualTo(ROTATED);
    }
  }

  @Test
  void a_named_pipe_behind_a_symlink_blocks_nothing_and_the_restored_file_is_used()
      throws Exception {
    Path real = file("token-v1", GOOD + "\n");
    Path link = Files.createSymbolicLink(dir.resolve("token"), real);
    FileTokenSource source = FileTokenSource.open(link, "--synapse.token-file");
    fifo = dir.resolve("pipe");
    assumeTrue(mkfifo(fifo), "mkfifo is not available here: cannot make a named pipe");

    try (LogCapture logs = new LogCapture()) {
      Files.delete(link);
      Files.createSymbolicLink(link, fifo);
      // Each use (every poll) would block forever in open() if the pipe were opened.
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () -> {
            for (int i = 0; i < 10; i++) {
              assertThat(source.current().reveal()).isEqualTo(GOOD);
            }
          });
      assertThat(warnings(logs)).singleElement().asString().contains("not a regular file");

      Path restored = file("token-v2", ROTATED + "\n");
      touchLater(restored, 10);
      Files.delete(link);
      Files.createSymbolicLink(link, restored);
      assertThat(source.current().reveal()).isEqualTo(ROTATED);
    }
  }

  @Test
  void a_named_pipe_at_startup_is_refused_without_opening_it() throws Exception {
    fifo = dir.resolve("pipe");
    assumeTrue(mkfifo(fifo), "mkfifo is not available here: cannot make a named pipe");
    Path link = Files.createSymbolicLink(dir.resolve("token"), fifo);

    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () ->
            assertThatThrownBy(() -> FileTokenSource.open(link, "--admin.token-file"))
                .hasMessage(
                    "cannot read token file "
                        + link
                        + ": not a regular file (a named pipe, socket or device?)"));
  }

  private static boolean mkfifo(Path at) {
    try {
      Process p = new ProcessBuilder("mkfifo", at.toString()).redirectErrorStream(true).start();
      return p.waitFor() == 0 && Files.exists(at);
    } catch (IOException e) {
      return false; // no mkfifo on this machine
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
