package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.pipelines.opensearch.Backoff;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What to backfill and how: an immutable configuration with {@code with...} methods.
 *
 * <pre>{@code
 * BackfillConfig config = BackfillConfig.of("/data/repo", "snap-1", ClusterEndpoint.of("http://localhost:9200"))
 *     .withIndices(List.of("orders")).withRunner(Runners.FLINK_LOCAL).withDeadLetterFile(Path.of("failed.ndjson"));
 * }</pre>
 */
public final class BackfillConfig {
  final String repository;
  final String snapshot;
  final ClusterEndpoint target;
  final List<String> indices;
  final Runners runner;
  final int parallelism;
  final Path deadLetterFile;
  final int maxBatchDocs;
  final long maxBatchBytes;
  final int sliceSize;
  final boolean verifyChecksums;
  final boolean createIndices;
  final Backoff backoff;
  final MigrationOptions options;

  private BackfillConfig(String repository, String snapshot, ClusterEndpoint target, List<String> indices, Runners runner,
      int parallelism, Path deadLetterFile, int maxBatchDocs, long maxBatchBytes, int sliceSize, boolean verifyChecksums,
      boolean createIndices, Backoff backoff, MigrationOptions options) {
    this.repository = repository;
    this.snapshot = snapshot;
    this.target = target;
    this.indices = indices;
    this.runner = runner;
    this.parallelism = parallelism;
    this.deadLetterFile = deadLetterFile;
    this.maxBatchDocs = maxBatchDocs;
    this.maxBatchBytes = maxBatchBytes;
    this.sliceSize = sliceSize;
    this.verifyChecksums = verifyChecksums;
    this.createIndices = createIndices;
    this.backoff = backoff;
    this.options = options;
  }

  public static BackfillConfig of(String repository, String snapshot, ClusterEndpoint target) {
    return new BackfillConfig(repository, snapshot, target, List.of(), Runners.DIRECT,
        Math.max(2, Runtime.getRuntime().availableProcessors()), Path.of("dead-letter-" + snapshot + ".ndjson"), 5_000,
        10L << 20, 20_000, true, true, new Backoff(8, Duration.ofMillis(500), Duration.ofSeconds(30)),
        MigrationOptions.defaults());
  }

  private BackfillConfig copy(List<String> indices, Runners runner, int parallelism, Path deadLetterFile, int maxBatchDocs,
      long maxBatchBytes, int sliceSize, boolean verifyChecksums, boolean createIndices, Backoff backoff, MigrationOptions opts) {
    return new BackfillConfig(repository, snapshot, target, indices, runner, parallelism, deadLetterFile, maxBatchDocs,
        maxBatchBytes, sliceSize, verifyChecksums, createIndices, backoff, opts);
  }

  /** Index names or {@code *} patterns; all non-system indices when empty. */
  public BackfillConfig withIndices(List<String> names) {
    return copy(List.copyOf(names), runner, parallelism, deadLetterFile, maxBatchDocs, maxBatchBytes, sliceSize, verifyChecksums,
        createIndices, backoff, options);
  }

  public BackfillConfig withRunner(Runners r) {
    return copy(indices, r, parallelism, deadLetterFile, maxBatchDocs, maxBatchBytes, sliceSize, verifyChecksums, createIndices,
        backoff, options);
  }

  /** Parallel workers (default: the number of cores, at least 2). */
  public BackfillConfig withParallelism(int workers) {
    return copy(indices, runner, workers, deadLetterFile, maxBatchDocs, maxBatchBytes, sliceSize, verifyChecksums, createIndices,
        backoff, options);
  }

  /** NDJSON file receiving every document that could not be delivered, with the reason. */
  public BackfillConfig withDeadLetterFile(Path file) {
    return copy(indices, runner, parallelism, file, maxBatchDocs, maxBatchBytes, sliceSize, verifyChecksums, createIndices,
        backoff, options);
  }

  public BackfillConfig withBatch(int docs, long bytes) {
    return copy(indices, runner, parallelism, deadLetterFile, docs, bytes, sliceSize, verifyChecksums, createIndices, backoff,
        options);
  }

  public BackfillConfig withSliceSize(int docs) {
    return copy(indices, runner, parallelism, deadLetterFile, maxBatchDocs, maxBatchBytes, docs, verifyChecksums, createIndices,
        backoff, options);
  }

  public BackfillConfig withChecksumVerification(boolean verify) {
    return copy(indices, runner, parallelism, deadLetterFile, maxBatchDocs, maxBatchBytes, sliceSize, verify, createIndices,
        backoff, options);
  }

  /** Create target indices that do not exist from the snapshot's definitions (default on). */
  public BackfillConfig withIndexCreation(boolean create) {
    return copy(indices, runner, parallelism, deadLetterFile, maxBatchDocs, maxBatchBytes, sliceSize, verifyChecksums, create,
        backoff, options);
  }

  public BackfillConfig withBackoff(Backoff retries) {
    return copy(indices, runner, parallelism, deadLetterFile, maxBatchDocs, maxBatchBytes, sliceSize, verifyChecksums,
        createIndices, retries, options);
  }

  /** Multi-type handling (merge or split) and awareness replicas: the same options as the metadata migration. */
  public BackfillConfig withOptions(MigrationOptions opts) {
    return copy(indices, runner, parallelism, deadLetterFile, maxBatchDocs, maxBatchBytes, sliceSize, verifyChecksums,
        createIndices, backoff, opts);
  }

  public Path deadLetterFile() {
    return deadLetterFile;
  }

  public Runners runner() {
    return runner;
  }
}
