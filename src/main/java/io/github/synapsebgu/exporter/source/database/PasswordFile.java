package io.github.synapsebgu.exporter.source.database;

import io.github.synapsebgu.exporter.secrets.SafeFiles;
import io.github.synapsebgu.exporter.secrets.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The database password from {@code --database.password-file}, read at every connect (not at every
 * query), so a rotated password is used from the next reconnect on. Only a trailing line end is
 * stripped: a password may contain spaces.
 */
public final class PasswordFile {
  /** A password is short; a large file here is the wrong file. */
  static final int MAX_BYTES = 4096;

  private final Path path;

  private PasswordFile(Path path) {
    this.path = path;
  }

  /**
   * Reads the file once, so a missing or empty file is reported at startup.
   *
   * @throws IllegalArgumentException naming the file and the problem, never its content
   */
  public static PasswordFile open(Path path) {
    PasswordFile file = new PasswordFile(path);
    try {
      file.read();
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return file;
  }

  public Path path() {
    return path;
  }

  /** The password as the file holds it now. */
  Secret read() throws IOException {
    byte[] bytes;
    try {
      // A regular file only: a named pipe here would block the poll in open() for good.
      bytes = SafeFiles.readRegularFile(path, MAX_BYTES);
    } catch (IOException e) {
      throw new IOException(
          "cannot read the database password file " + path + ": " + e.getMessage());
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    text = text.substring(0, end);
    if (text.isEmpty()) {
      throw new IOException("the database password file " + path + " is empty");
    }
    if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IOException(
          "the database password file " + path + " holds more than one line or control characters");
    }
    return new Secret(text);
  }
}
