package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.secrets.FileTokenSource;
import io.github.synapsebgu.exporter.secrets.SafeFiles;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.source.database.PasswordFile;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code --config.file}: read (a regular file of at most {@link #MAX_BYTES}), parsed, validated
 * ({@link FleetFileValidator}), and its homeservers' token and password files opened. Every step
 * reports all of its problems, each with its line.
 */
public final class FleetFile {
  /** Ten thousand homeservers take about 2 MiB; far beyond that is the wrong file. */
  public static final long MAX_BYTES = 32L * 1024 * 1024;

  private FleetFile() {}

  /** The file parsed and validated; no token read yet. */
  public static FleetFileValidator.Result read(Path file, FleetDefaults defaults) {
    byte[] bytes;
    try {
      bytes = SafeFiles.readRegularFile(file, MAX_BYTES);
    } catch (IOException e) {
      return failed(new FleetProblem(0, "", "cannot read the file: " + e.getMessage()));
    }
    return parse(bytes, defaults);
  }

  /** The validation of a file's content, as {@link #read} does it. */
  public static FleetFileValidator.Result parse(byte[] yaml, FleetDefaults defaults) {
    YamlTree.Node root;
    try {
      root = YamlTree.parse(yaml);
    } catch (YamlTree.SyntaxException e) {
      return failed(new FleetProblem(e.line(), "", e.getMessage()));
    }
    return FleetFileValidator.validate(root, defaults);
  }

  private static FleetFileValidator.Result failed(FleetProblem problem) {
    return new FleetFileValidator.Result(List.of(), List.of(problem));
  }

  /**
   * The file's homeservers in {@code shard}, their token (and password) files opened.
   *
   * @throws FleetFileException with every problem of the file, or of the files it names
   */
  public static List<FleetHomeserver> load(Path file, FleetDefaults defaults, Shard shard)
      throws FleetFileException {
    FleetFileValidator.Result result = read(file, defaults);
    if (!result.problems().isEmpty()) {
      throw new FleetFileException(file, result.problems());
    }
    List<FleetMember> mine =
        result.members().stream().filter(m -> shard.contains(m.name())).toList();
    return open(file, mine);
  }

  /**
   * Opens each member's token file (and database password file).
   *
   * @throws FleetFileException listing every file that cannot be used
   */
  public static List<FleetHomeserver> open(Path file, List<FleetMember> members)
      throws FleetFileException {
    List<FleetHomeserver> out = new ArrayList<>(members.size());
    List<FleetProblem> problems = new ArrayList<>();
    for (FleetMember m : members) {
      String p = "homeservers." + m.name();
      HomeserverSpec s = m.spec();
      TokenSource token = null;
      try {
        token = FileTokenSource.open(s.tokenFile(), p + ".token_file");
      } catch (IllegalArgumentException e) {
        problems.add(new FleetProblem(m.line(), p + ".token_file", e.getMessage()));
      }
      Optional<PasswordFile> password = Optional.empty();
      if (s.databasePasswordFile().isPresent()) {
        try {
          password = Optional.of(PasswordFile.open(s.databasePasswordFile().get()));
        } catch (IllegalArgumentException e) {
          problems.add(new FleetProblem(m.line(), p + ".database_password_file", e.getMessage()));
        }
      }
      if (token != null) {
        out.add(new FleetHomeserver(m, config(m, token, password)));
      }
    }
    if (!problems.isEmpty()) {
      throw new FleetFileException(file, problems);
    }
    return out;
  }

  static HomeserverConfig config(
      FleetMember m, TokenSource token, Optional<PasswordFile> password) {
    HomeserverSpec s = m.spec();
    return new HomeserverConfig(
        m.name(),
        Optional.of(
            new SynapseHttpSettings(s.url(), s.timeout(), s.caFile(), s.insecureSkipVerify())),
        Optional.of(token),
        s.timeout(),
        s.pollInterval(),
        s.staleAfter(),
        new SourcesConfig(s.metricsUrl(), s.databases(), password));
  }
}
