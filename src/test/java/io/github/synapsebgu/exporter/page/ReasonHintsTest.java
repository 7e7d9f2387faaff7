package io.github.synapsebgu.exporter.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.synapse.FailureReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page's hint per reason is the README's "What to do" for it, word for word. */
class ReasonHintsTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z_]+)` \\| .*? \\| (.*) \\|$");

  @Test
  void every_admin_api_reason_has_the_readmes_hint() throws Exception {
    Map<String, String> readme = new HashMap<>();
    boolean inSection = false;
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      if (line.startsWith("## ")) {
        inSection = line.equals("## Troubleshooting by error reason");
      }
      Matcher m = ROW.matcher(line);
      if (inSection && m.matches()) {
        readme.put(m.group(1), m.group(2));
      }
    }
    Map<String, String> page = new HashMap<>();
    ReasonHints.ADMIN_API.forEach((reason, hint) -> page.put(reason.label(), hint));
    assertThat(page).containsExactlyInAnyOrderEntriesOf(readme);
    assertThat(page).hasSize(FailureReason.values().length);
  }
}
