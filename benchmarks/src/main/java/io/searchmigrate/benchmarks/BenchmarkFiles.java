package io.searchmigrate.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folders a benchmark writes for itself (tuples, ledgers, a peer's configuration), removed once measured.
 *
 * <pre>{@code
 * BenchmarkFiles.deleteTree(home.resolve("bench-backfill-state"));
 * }</pre>
 */
final class BenchmarkFiles {
  private BenchmarkFiles() {}

  /** Deletes the folder and everything in it; nothing when it does not exist. */
  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the benchmark's folder " + root + ": " + e.getMessage(), e);
    }
  }
}
