package io.github.synapsebgu.exporter.source.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlParserTest {
  @Test
  void a_postgresql_url_gives_host_port_database_user_and_parameters() {
    DatabaseUrl url =
        DatabaseUrlParser.parse("postgresql://bgu@db.internal:6432/synapse?sslmode=verify-full");
    assertThat(url)
        .isEqualTo(
            new DatabaseUrl.Postgres(
                "master", "db.internal", 6432, "synapse", "bgu", Map.of("sslmode", "verify-full")));
    assertThat(url.describe()).isEqualTo("postgresql://bgu@db.internal:6432/synapse");
  }

  @Test
  void the_port_defaults_to_5432_and_postgres_scheme_is_accepted() {
    DatabaseUrl.Postgres url =
        (DatabaseUrl.Postgres) DatabaseUrlParser.parse("postgres://bgu@[::1]/synapse");
    assertThat(url.port()).isEqualTo(5432);
    assertThat(url.host()).isEqualTo("[::1]");
  }

  @Test
  void a_name_prefix_names_the_database_as_synapse_does() {
    assertThat(DatabaseUrlParser.parse("state_db=postgresql://bgu@h/synapse_state").name())
        .isEqualTo("state_db");
    assertThat(DatabaseUrlParser.parse("sqlite:/var/lib/matrix-synapse/homeserver.db"))
        .isEqualTo(
            new DatabaseUrl.Sqlite("master", Path.of("/var/lib/matrix-synapse/homeserver.db")));
    assertThat(DatabaseUrlParser.parse("main=sqlite:///data/homeserver.db"))
        .isEqualTo(new DatabaseUrl.Sqlite("main", Path.of("/data/homeserver.db")));
  }

  @Test
  void the_user_may_come_as_a_parameter_and_escapes_are_decoded() {
    DatabaseUrl.Postgres url =
        (DatabaseUrl.Postgres)
            DatabaseUrlParser.parse("postgresql://h/syn%20apse?user=b%40gu&application_name=x");
    assertThat(url.user()).isEqualTo("b@gu");
    assertThat(url.database()).isEqualTo("syn apse");
    assertThat(url.parameters()).containsExactlyEntriesOf(Map.of("application_name", "x"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://alice@h/synapse?user=bob",
        "postgresql://alice@h/synapse?USER=alice",
        "postgresql://alice@h/synapse?sslmode=require&user=bob"
      })
  void a_user_given_twice_is_refused_instead_of_connecting_as_the_second(String value) {
    assertThatThrownBy(() -> DatabaseUrlParser.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gives the user twice");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://bgu:hunter2secret@h/synapse",
        "postgresql://bgu:@h/synapse",
        "postgresql://bgu:hunter2secret@h:badport/synapse",
        "postgresql://bgu@h/synapse?password=hunter2secret",
        "postgresql://bgu@h/synapse?sslmode=require&PASSWORD=hunter2secret",
        "postgresql://bgu@h/synapse?sslpassword=hunter2secret",
        "x=postgresql://bgu:hunter2secret@h:5432/synapse?sslmode=require"
      })
  void a_password_in_the_url_is_refused_without_repeating_it(String value) {
    assertThatThrownBy(() -> DatabaseUrlParser.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not contain a password")
        .hasMessageContaining("--database.password-file")
        .hasMessageNotContaining("hunter2");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|empty",
        "mysql://u@h/db|must start with postgresql:// or sqlite:",
        "synapse.db|must start with postgresql:// or sqlite:",
        "postgresql://h/synapse|names no user",
        "postgresql://u@/synapse|names no host",
        "postgresql://u@h|names no database",
        "postgresql://u@h/|names no database",
        "postgresql://u@h/a/b|names no database",
        "postgresql://u@h/db?socketFactory=x.Y|does not pass on; allowed: application_name,"
            + " sslcert, sslkey, sslmode, sslrootcert",
        "postgresql://u@h/db?sslmode=maybe|sslmode must be one of",
        "postgresql://u@h/db?sslmode=require&sslmode=disable|twice",
        "postgresql://u@h/db#x|fragment",
        "postgresql://u@h:port/db|no valid host and port",
        "postgresql://u@h/d b|not a valid URL",
        "sqlite:homeserver.db|absolute path",
        "sqlite:/data/homeserver.db?mode=rwc|without parameters",
        "bad name=sqlite:/x.db|database name before '='",
        "=sqlite:/x.db|database name before '='"
      })
  void a_bad_url_gets_a_message_naming_the_problem(String value, String message) {
    assertThatThrownBy(() -> DatabaseUrlParser.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void a_bad_url_error_names_the_database_but_never_repeats_the_url() {
    assertThatThrownBy(() -> DatabaseUrlParser.parse("state=postgresql://u@h:99999999999/s%zz"))
        .hasMessageStartingWith("the database URL for state")
        .hasMessageNotContaining("99999999999");
  }
}
