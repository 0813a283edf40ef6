package io.searchmigrate.pipelines.snapshot;

import io.searchmigrate.common.Selection;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.pipelines.coders.SourceDocumentCoder;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.transforms.Impulse;
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
 *     SnapshotIO.read().from("/data/repo").withSnapshot("snap-1").withSelection(Selection.ofIndices(List.of("orders"))));
 * }</pre>
 *
 * <p>Steps, all inside the pipeline (nothing is read while it is being built): {@code ListShards} (the selected
 * indices' shards, from the repository's metadata) → {@code SpreadShards} → {@code PlanShards} (verify each shard's
 * files against their checksums, count its documents, cut it into slices of Lucene document numbers) →
 * {@code SpreadSlices} → {@code ReadSlices}. Big shards are thus read by many workers at once, and no runner has to
 * hold a whole shard's output.
 *
 * <p>Metrics, namespace {@value #METRICS_NAMESPACE}: {@code <index>|documents} read and {@code <index>|nested}
 * (Lucene documents of nested objects, which travel inside their parents' sources); {@code shards},
 * {@code shards_planned}, {@code slices_planned}, {@code slices_read}, {@code lucene_docs} (live Lucene documents
 * in the planned shards) and {@code lucene_docs_visited}: enough for a progress line and an ETA on any runner.
 */
public final class SnapshotIO {
  public static final String METRICS_NAMESPACE = "SnapshotIO";
  /** Per-index counter: documents read (with an {@code _id}). */
  public static final String DOCUMENTS = "documents";
  /** Per-index counter: Lucene documents of nested objects (no {@code _id} of their own). */
  public static final String NESTED = "nested";
  public static final String SHARDS = "shards";
  public static final String SHARDS_PLANNED = "shards_planned";
  public static final String SLICES_PLANNED = "slices_planned";
  public static final String SLICES_READ = "slices_read";
  public static final String LUCENE_DOCS = "lucene_docs";
  public static final String LUCENE_DOCS_VISITED = "lucene_docs_visited";

  private SnapshotIO() {}

  public static Read read() {
    return new Read(null, null, Selection.defaults(), 20_000, true);
  }

  /** Reads the live documents of the chosen indices of one snapshot. Immutable; configure with {@code with...}. */
  public static final class Read extends PTransform<PBegin, PCollection<SourceDocument>> {
    private static final long serialVersionUID = 1L;
    private final String repository;
    private final String snapshot;
    private final Selection selection;
    private final int sliceSize;
    private final boolean verifyChecksums;

    private Read(String repository, String snapshot, Selection selection, int sliceSize, boolean verifyChecksums) {
      this.repository = repository;
      this.snapshot = snapshot;
      this.selection = selection;
      this.sliceSize = sliceSize;
      this.verifyChecksums = verifyChecksums;
    }

    /** The repository: a filesystem path. */
    public Read from(String repositoryLocation) {
      return new Read(repositoryLocation, snapshot, selection, sliceSize, verifyChecksums);
    }

    public Read withSnapshot(String snapshotName) {
      return new Read(repository, snapshotName, selection, sliceSize, verifyChecksums);
    }

    /** Which indices to read, by the rule every step shares (default: all but system indices). */
    public Read withSelection(Selection indices) {
      return new Read(repository, snapshot, Objects.requireNonNull(indices, "selection"), sliceSize, verifyChecksums);
    }

    /** Index names or patterns to read (see {@link Selection}); all but system indices when empty. */
    public Read withIndices(List<String> indices) {
      return withSelection(Selection.ofIndices(indices));
    }

    /** Lucene documents per slice (default 20,000): smaller slices spread big shards over more workers. */
    public Read withSliceSize(int documents) {
      if (documents < 1) {
        throw new IllegalArgumentException("slice size must be positive, not " + documents);
      }
      return new Read(repository, snapshot, selection, documents, verifyChecksums);
    }

    /** Whether to check every shard file against its recorded checksum before reading (default on). */
    public Read withChecksumVerification(boolean verify) {
      return new Read(repository, snapshot, selection, sliceSize, verify);
    }

    @Override
    public PCollection<SourceDocument> expand(PBegin input) {
      Objects.requireNonNull(repository, "from(repository) is required");
      Objects.requireNonNull(snapshot, "withSnapshot(name) is required");
      return input
          .apply("Start", Impulse.create())
          .apply("ListShards", ParDo.of(new ListShardsFn(repository, snapshot, selection)))
          .setCoder(ShardRef.CODER)
          .apply("SpreadShards", Reshuffle.viaRandomKey())
          .apply("PlanShards", ParDo.of(new PlanShardFn(repository, snapshot, sliceSize, verifyChecksums)))
          .setCoder(ShardSlice.CODER)
          .apply("SpreadSlices", Reshuffle.viaRandomKey())
          .apply("ReadSlices", ParDo.of(new ReadSliceFn(repository, snapshot)))
          .setCoder(SourceDocumentCoder.of());
    }
  }
}
