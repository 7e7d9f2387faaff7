package io.github.synapsebgu.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The README's read-only PostgreSQL role is the one docs/sources.md gives, which the PostgreSQL
 * tests run with (TestPostgres.documentedRole): what operators copy is what is tested.
 */
class ReadonlyRoleDocsTest {
  private static String sqlBlockAfter(String text, String marker) {
    int at = text.indexOf(marker);
    assertThat(at).as("marker %s", marker).isNotNegative();
    int start = text.indexOf("```sql\n", at) + "```sql\n".length();
    return text.substring(start, text.indexOf("```", start));
  }

  @Test
  void the_readme_gives_the_role_the_tests_use() {
    String readme = sqlBlockAfter(RepoFiles.read("README.md"), "**The optional sources.**");
    String tested =
        sqlBlockAfter(RepoFiles.read("docs/sources.md"), "## The read-only PostgreSQL role");
    assertThat(readme).isEqualTo(tested).contains("GRANT SELECT ON background_updates");
  }
}
