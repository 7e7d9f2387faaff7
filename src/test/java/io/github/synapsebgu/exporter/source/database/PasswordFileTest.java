package io.github.synapsebgu.exporter.source.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {
  @TempDir Path dir;

  @Test
  void only_the_line_end_is_stripped_and_a_rotated_file_is_read_again() throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, " pass word \r\n");
    PasswordFile password = PasswordFile.open(file);
    assertThat(password.read().reveal()).isEqualTo(" pass word ");
    Files.writeString(file, "rotated");
    assertThat(password.read().reveal()).isEqualTo("rotated");
  }

  @Test
  void a_missing_empty_multi_line_or_huge_file_is_refused_without_showing_its_content()
      throws Exception {
    assertThatThrownBy(() -> PasswordFile.open(dir.resolve("none")))
        .hasMessageContaining("no such file");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> PasswordFile.open(empty)).hasMessageContaining("is empty");
    Path twoLines = Files.writeString(dir.resolve("two"), "secret-one\nsecret-two\n");
    assertThatThrownBy(() -> PasswordFile.open(twoLines))
        .hasMessageContaining("more than one line")
        .hasMessageNotContaining("secret-");
    Path huge = Files.writeString(dir.resolve("huge"), "x".repeat(5000));
    assertThatThrownBy(() -> PasswordFile.open(huge)).hasMessageContaining("larger than 4096");
  }
}
