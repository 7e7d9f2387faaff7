package io.github.synapsebgu.exporter.config;

/** An invalid flag or setting: reported as one line naming the flag, exit code 2. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String flag;

  public ConfigException(String flag, String problem) {
    super(flag + ": " + problem);
    this.flag = flag;
  }

  public String flag() {
    return flag;
  }
}
