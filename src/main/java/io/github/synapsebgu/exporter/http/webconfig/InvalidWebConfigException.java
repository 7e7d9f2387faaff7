package io.github.synapsebgu.exporter.http.webconfig;

/**
 * The web config file cannot be used. The message names the file and the field, and never holds a
 * password, hash or key.
 */
public final class InvalidWebConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidWebConfigException(String message) {
    super(message);
  }
}
