package io.searchmigrate.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold documents or settings (reports, dead letters, tuples, a child process's options): readable and
 * writable by their owner only (0600, folders 0700), whatever the umask, and tightened when they already exist.
 *
 * <pre>{@code
 * OwnerOnlyFiles.writeString(reportFile, report);
 * try (OutputStream out = OwnerOnlyFiles.newOutputStream(deadLetters, StandardOpenOption.APPEND)) { ... }
 * }</pre>
 */
public final class OwnerOnlyFiles {
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private OwnerOnlyFiles() {}

  /** Writes (replacing) {@code text} as UTF-8 into an owner-only file. */
  public static void writeString(Path file, String text) throws IOException {
    try (OutputStream out = newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Opens an owner-only file for writing, creating it if needed ({@code options} add to CREATE and WRITE, e.g. APPEND
   * or TRUNCATE_EXISTING). An existing file is narrowed to its owner first.
   */
  public static OutputStream newOutputStream(Path file, OpenOption... options) throws IOException {
    create(file);
    OpenOption[] all = new OpenOption[options.length + 1];
    all[0] = StandardOpenOption.WRITE;
    System.arraycopy(options, 0, all, 1, options.length);
    return Files.newOutputStream(file, all);
  }

  /** Creates the file empty and owner-only if it is missing; narrows an existing one to its owner. */
  public static void create(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    if (!POSIX) {
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
      return;
    }
    if (Files.exists(file)) {
      Files.setPosixFilePermissions(file, FILE);
    } else {
      Files.createFile(file, attributes(FILE));
    }
  }

  /** Creates a folder (and its missing parents, with default permissions) that only its owner may open. */
  public static Path createDirectory(Path dir) throws IOException {
    if (dir.getParent() != null) {
      Files.createDirectories(dir.getParent());
    }
    if (!POSIX) {
      return Files.createDirectories(dir);
    }
    if (Files.isDirectory(dir)) {
      Files.setPosixFilePermissions(dir, DIRECTORY);
      return dir;
    }
    return Files.createDirectory(dir, attributes(DIRECTORY));
  }

  private static FileAttribute<Set<PosixFilePermission>> attributes(Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }
}
