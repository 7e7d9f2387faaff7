package io.github.synapsebgu.exporter.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a file the operator named only if it is a regular file (symlinks followed, as Kubernetes
 * mounts Secrets and ConfigMaps) of at most a given size. Anything else is refused before it is
 * opened: a named pipe has size 0 and blocks {@code open()} until a writer comes, which on a reload
 * would hold a request worker, and through the reload monitor every other request, forever.
 */
public final class SafeFiles {
  private SafeFiles() {}

  /**
   * The whole content of {@code file}.
   *
   * @throws IOException whose message says what is wrong without naming the file (callers do), e.g.
   *     "no such file", "not a regular file (a named pipe, socket or device?)"
   */
  public static byte[] readRegularFile(Path file, long maxBytes) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new IOException("no such file", e);
    } catch (AccessDeniedException e) {
      throw new IOException("permission denied", e);
    }
    return readRegularFile(file, attrs, maxBytes);
  }

  /** The same, for a file whose attributes (symlinks followed) the caller has just read. */
  public static byte[] readRegularFile(Path file, BasicFileAttributes attrs, long maxBytes)
      throws IOException {
    if (attrs.isDirectory()) {
      throw new IOException("it is a directory, not a regular file");
    }
    if (!attrs.isRegularFile()) {
      throw new IOException("not a regular file (a named pipe, socket or device?)");
    }
    if (attrs.size() > maxBytes) {
      throw new IOException(tooLarge(maxBytes) + " (" + attrs.size() + " bytes)");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // Bounded even if the file grew since it was stat'ed.
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (NoSuchFileException e) {
      throw new IOException("no such file", e);
    } catch (AccessDeniedException e) {
      throw new IOException("permission denied", e);
    }
    if (bytes.length > maxBytes) {
      throw new IOException(tooLarge(maxBytes));
    }
    return bytes;
  }

  private static String tooLarge(long maxBytes) {
    String limit =
        maxBytes % (1024 * 1024) == 0 ? maxBytes / (1024 * 1024) + " MiB" : maxBytes + " bytes";
    return "the file is larger than " + limit;
  }
}
