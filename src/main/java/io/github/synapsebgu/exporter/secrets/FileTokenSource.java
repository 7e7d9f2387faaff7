package io.github.synapsebgu.exporter.secrets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A token kept in a file (a Kubernetes Secret volume, a systemd credential). The file is stat'ed on
 * every use and re-read only when its modification time or size changed; a rotation that leaves the
 * file briefly missing or empty keeps the last good token instead of failing requests.
 *
 * <p>The file must be a regular file (symlinks followed, as Kubernetes mounts Secrets) of at most
 * {@link #MAX_BYTES}. Anything else is refused before it is opened: a named pipe would block the
 * caller (a poll, an admin request) in {@code open()} forever, and a file of megabytes would be
 * read whole into memory and sent as a header of that size. Refused at startup, and while running
 * the last good token stays, as for a missing file.
 */
public final class FileTokenSource implements TokenSource {
  /** Tokens are tens of bytes (Synapse's are about 40); a few KiB leaves room for any format. */
  public static final int MAX_BYTES = 4096;

  private static final Logger log = LoggerFactory.getLogger(FileTokenSource.class);

  private final Path path;
  private final String flag;
  private Secret token;
  private FileTime modified;
  private long size;
  private boolean failing;

  private FileTokenSource(Path path, String flag, Secret token, FileTime modified, long size) {
    this.path = path;
    this.flag = flag;
    this.token = token;
    this.modified = modified;
    this.size = size;
  }

  /**
   * Reads the file once, failing with a message naming {@code flag} when it is missing, unreadable
   * or empty.
   *
   * @throws IllegalArgumentException with an operator-facing message
   */
  public static FileTokenSource open(Path path, String flag) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
      Secret token = read(path, attrs);
      return new FileTokenSource(path, flag, token, attrs.lastModifiedTime(), attrs.size());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read token file " + path + ": " + describeIoError(e), e);
    }
  }

  /** Reads the file whose attributes (symlinks followed) were just read, if they allow it. */
  private static Secret read(Path path, BasicFileAttributes attrs) throws IOException {
    byte[] bytes = SafeFiles.readRegularFile(path, attrs, MAX_BYTES);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString().strip();
    } catch (CharacterCodingException e) {
      throw new IOException("the file is not UTF-8 text");
    }
    if (text.isEmpty()) {
      throw new IOException("the file is empty");
    }
    if (text.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      // A header value with a newline or space would be rejected or, worse, split the request.
      throw new IOException("the token contains whitespace or control characters");
    }
    return new Secret(text);
  }

  static String describeIoError(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
  }

  @Override
  public synchronized Secret current() {
    try {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
      if (!attrs.lastModifiedTime().equals(modified) || attrs.size() != size) {
        token = read(path, attrs);
        modified = attrs.lastModifiedTime();
        size = attrs.size();
        log.atInfo().addKeyValue("file", path).log("Token file changed, using the new token");
      }
      failing = false;
    } catch (IOException e) {
      if (failing) {
        return token; // already logged; a rotation gap should not flood the log
      }
      failing = true;
      log.atWarn()
          .addKeyValue("file", path)
          .addKeyValue("flag", flag)
          .addKeyValue("err", describeIoError(e))
          .log("Cannot re-read token file, keeping the last good token");
    }
    return token;
  }

  @Override
  public String describe() {
    return "file " + path;
  }
}
