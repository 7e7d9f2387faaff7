package io.github.synapsebgu.exporter.synapse;

/** The body was not the JSON shape that Synapse's status API answers. */
public final class InvalidResponseException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidResponseException(String message) {
    super(message);
  }
}
