package io.github.synapsebgu.exporter.config;

/** An invalid flag or setting: reported as one line naming the flag, exit code 2. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String flag;
  private final String problem;

  public ConfigException(String flag, String problem) {
    super(flag + ": " + problem);
    this.flag = flag;
    this.problem = problem;
  }

  /** The message without the flag's name: what a config file's error puts after its key. */
  public String problem() {
    return problem;
  }

  public String flag() {
    return flag;
  }
}
