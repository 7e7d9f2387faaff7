package io.github.synapsebgu.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's flag tables (the daemon's under "Flags", the admin API's under its own heading) say
 * what {@link FlagCatalog} declares: the same flags, both ways, with the same environment variables
 * and defaults.
 */
class ReadmeFlagTablesTest {
  /** The row of picocli's standard options, which are not ours to declare. */
  private static final String STANDARD_OPTIONS = "`--version`, `--help`";

  private record Row(String flag, String env, String defaultValue) {}

  /** Rows of every table whose header starts with "| Flag | Env | Default |", by flag. */
  private static Map<String, Row> readmeRows() throws IOException {
    Map<String, Row> rows = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      if (line.startsWith("| Flag | Env | Default |")) {
        inTable = true;
      } else if (!line.startsWith("|")) {
        inTable = false;
      } else if (inTable && !line.startsWith("|---")) {
        String[] cells = line.split("\\|", -1);
        String flag = cells[1].strip();
        if (flag.equals(STANDARD_OPTIONS)) {
          continue;
        }
        Row row = new Row(flag, cells[2].strip(), cells[3].strip());
        assertThat(rows.put(flag, row)).as("README lists " + flag + " twice").isNull();
      }
    }
    return rows;
  }

  private static String code(String text) {
    return "`" + text + "`";
  }

  @Test
  void the_readme_lists_every_declared_flag_and_no_other() throws IOException {
    List<String> declared = new ArrayList<>();
    for (Flag<?> flag : FlagCatalog.DAEMON) {
      declared.add(code(flag.name()));
    }
    assertThat(readmeRows().keySet()).containsExactlyInAnyOrderElementsOf(declared);
  }

  @Test
  void each_row_gives_the_declared_environment_variable_and_default() throws IOException {
    Map<String, Row> rows = readmeRows();
    for (Flag<?> flag : FlagCatalog.DAEMON) {
      Row row = rows.get(code(flag.name()));
      assertThat(row).as(flag.name()).isNotNull();
      assertThat(row.env()).as(flag + " env").isEqualTo(code(flag.environmentVariable().get()));
      if (flag.defaultValue().isPresent()) {
        assertThat(row.defaultValue())
            .as(flag + " default")
            .isEqualTo(code(flag.defaultValue().get()));
      } else {
        // Without a default, the cell says in words what happens (required, the system CAs...),
        // never a value that looks like one.
        assertThat(row.defaultValue()).as(flag + " default").doesNotStartWith("`");
      }
    }
  }
}
