package io.github.synapsebgu.exporter.admin;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of the admin API: each test starts its harness in {@code h} (with the options it needs),
 * and it is closed after the test (after the subclass's own clean-up).
 */
abstract class AdminApiTest {
  @TempDir Path dir;
  AdminHarness h;

  @AfterEach
  void closeHarness() throws IOException {
    if (h != null) {
      h.close();
    }
  }
}
