package io.searchmigrate.pipelines.snapshot;

import io.searchmigrate.common.NamePattern;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.pipelines.coders.SourceDocumentCoder;
import io.searchmigrate.snapshot.blob.Repositories;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Beam source of the live documents in a snapshot repository, read in place with Lucene.
 *
 * <pre>{@code
 * PCollection<SourceDocument> docs = pipeline.apply(
 *     SnapshotIO.read().from("/data/repo").withSnapshot("snap-1").withIndices(List.of("orders")));
 * }</pre>
 *
 * <p>Steps: list the selected shards (at construction, from the repository's metadata) → redistribute →
 * plan each shard (verify its files' checksums, count its documents, cut it into slices of Lucene document
 * numbers) → redistribute the slices → read each slice. Big shards are thus read by many workers at once, and
 * no runner has to hold a whole shard's output.
 */
public final class SnapshotIO {
  private SnapshotIO() {}

  public static Read read() {
    return new Read(null, null, List.of(), 20_000, true, null);
  }

  /** Reads the live documents of the chosen indices of one snapshot. Immutable; configure with {@code with...}. */
  public static final class Read extends PTransform<PBegin, PCollection<SourceDocument>> {
    private static final long serialVersionUID = 1L;
    private final String repository;
    private final String snapshot;
    private final List<String> indices;
    private final int sliceSize;
    private final boolean verifyChecksums;
    private final String progressRunId;

    private Read(String repository, String snapshot, List<String> indices, int sliceSize, boolean verifyChecksums,
        String progressRunId) {
      this.repository = repository;
      this.snapshot = snapshot;
      this.indices = indices;
      this.sliceSize = sliceSize;
      this.verifyChecksums = verifyChecksums;
      this.progressRunId = progressRunId;
    }

    /** The repository: a filesystem path. */
    public Read from(String repositoryLocation) {
      return new Read(repositoryLocation, snapshot, indices, sliceSize, verifyChecksums, progressRunId);
    }

    public Read withSnapshot(String snapshotName) {
      return new Read(repository, snapshotName, indices, sliceSize, verifyChecksums, progressRunId);
    }

    /** Exact index names to read; all non-system indices of the snapshot when empty. */
    public Read withIndices(List<String> indexNames) {
      return new Read(repository, snapshot, List.copyOf(indexNames), sliceSize, verifyChecksums, progressRunId);
    }

    /** Lucene documents per slice (default 20,000): smaller slices spread big shards over more workers. */
    public Read withSliceSize(int documents) {
      if (documents < 1) {
        throw new IllegalArgumentException("slice size must be positive");
      }
      return new Read(repository, snapshot, indices, documents, verifyChecksums, progressRunId);
    }

    /** Whether to check every shard file against its recorded checksum before reading (default on). */
    public Read withChecksumVerification(boolean verify) {
      return new Read(repository, snapshot, indices, sliceSize, verify, progressRunId);
    }

    /** Reports progress to the {@code BackfillProgress} registered under this id. */
    public Read withProgress(String runId) {
      return new Read(repository, snapshot, indices, sliceSize, verifyChecksums, runId);
    }

    @Override
    public PCollection<SourceDocument> expand(PBegin input) {
      Objects.requireNonNull(repository, "from(repository) is required");
      Objects.requireNonNull(snapshot, "withSnapshot(name) is required");
      List<ShardRef> shards = listShards(repository, snapshot, indices);
      return input
          .apply("ListShards", Create.of(shards).withCoder(SerializableCoder.of(ShardRef.class)))
          .apply("SpreadShards", Reshuffle.viaRandomKey())
          .apply("PlanShards", ParDo.of(new PlanShardFn(repository, snapshot, sliceSize, verifyChecksums, progressRunId)))
          .setCoder(SerializableCoder.of(ShardSlice.class))
          .apply("SpreadSlices", Reshuffle.viaRandomKey())
          .apply("ReadSlices", ParDo.of(new ReadSliceFn(repository, snapshot, progressRunId)))
          .setCoder(SourceDocumentCoder.of());
    }
  }

  /** Every shard of the chosen indices (exact names; all non-system indices when none are given). */
  static List<ShardRef> listShards(String repository, String snapshot, List<String> indices) {
    try (SnapshotRepository repo = SnapshotRepository.open(Repositories.open(repository))) {
      RepositoryData.SnapshotEntry snap = repo.snapshot(snapshot);
      List<String> names = selectIndices(repo.indices(snap), indices, snapshot);
      List<ShardRef> shards = new ArrayList<>();
      for (String index : names) {
        IndexMetadata meta = repo.indexMetadata(snap, index);
        String defaultType = meta.mappingsByType().size() == 1 ? meta.mappingsByType().keySet().iterator().next() : null;
        for (int shard = 0; shard < meta.numberOfShards(); shard++) {
          shards.add(new ShardRef(index, shard, defaultType));
        }
      }
      return shards;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Chooses indices by {@link NamePattern} (exact, {@code *} or {@code regex:}); with none, all indices except system ones
   * (dot-prefixed). Unknown names are an error that lists what the snapshot holds.
   */
  public static List<String> selectIndices(List<String> available, List<String> requested, String snapshot) {
    if (requested.isEmpty()) {
      List<String> all = new ArrayList<>();
      available.stream().filter(i -> !i.startsWith(".")).sorted().forEach(all::add);
      return all;
    }
    List<String> chosen = new ArrayList<>();
    for (String requestedName : requested) {
      NamePattern pattern = NamePattern.parse(requestedName);
      List<String> matches = available.stream().filter(pattern::matches).sorted().toList();
      if (matches.isEmpty()) {
        throw new UserError("no index '" + pattern + "' in snapshot '" + snapshot + "'; it holds " + available.stream().sorted().toList());
      }
      matches.stream().filter(m -> !chosen.contains(m)).forEach(chosen::add);
    }
    return chosen;
  }
}
