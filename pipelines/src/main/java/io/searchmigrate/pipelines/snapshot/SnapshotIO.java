package io.searchmigrate.pipelines.snapshot;

import io.searchmigrate.common.Selection;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.pipelines.coders.SourceDocumentCoder;
import io.searchmigrate.pipelines.opensearch.FailedDocument;
import io.searchmigrate.snapshot.blob.RepositoryLocation;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Beam source of the live documents in a snapshot repository, read in place with Lucene.
 *
 * <pre>{@code
 * PCollection<SourceDocument> docs = pipeline.apply(
 *     SnapshotIO.read().from("/data/repo").withSnapshot("snap-1").withSelection(Selection.ofIndices(List.of("orders"))));
 * // in S3: .from(RepositoryLocation.of("s3://bucket/prefix").withS3(S3Access.defaults().withRegion("eu-west-1")))
 * }</pre>
 *
 * <p>Steps, all inside the pipeline (nothing is read while it is being built): {@code ListShards} (the selected
 * indices' shards, from the repository's metadata) → {@code SpreadShards} → {@code PlanShards} (verify each shard's
 * files against their checksums, count its documents, cut it into slices of Lucene document numbers) →
 * {@code SpreadSlices} → {@code ReadSlices} (splittable: a runner may take a slice's documents a part at a time, so
 * memory stays bounded whatever the slices' size) → {@code Unchunk}. Big shards are thus read by many workers at once, and no runner has to
 * hold a whole shard's output.
 *
 * <p>Metrics, namespace {@value #METRICS_NAMESPACE}: {@code <index>|documents} read and {@code <index>|nested}
 * (Lucene documents of nested objects, which travel inside their parents' sources); {@code shards},
 * {@code shards_planned}, {@code slices_planned}, {@code slices_read}, {@code lucene_docs} (live Lucene documents
 * in the planned shards) and {@code lucene_docs_visited}: enough for a progress line and an ETA on any runner;
 * {@code <index>|shards_failed} with {@link Read#withFailuresReported()}.
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
  /** With a previous snapshot: segments in both snapshots with the same live documents, not read. */
  public static final String SEGMENTS_SKIPPED = "segments_skipped";
  /** With a previous snapshot: segments read (new, with new deletions, or merged away). */
  public static final String SEGMENTS_READ = "segments_read";
  /** Per-index counter, with a previous snapshot: documents on {@link #GONE_DOCUMENTS}. */
  public static final String GONE = "gone";
  /** Per-index counter: shards (or slices of them) that could not be read, with failures reported. */
  public static final String SHARDS_FAILED = "shards_failed";

  /** With {@link Read#withFailuresReported()}: the live documents. */
  public static final TupleTag<SourceDocument> LIVE_DOCUMENTS = new TupleTag<>() {};
  /** With {@link Read#withFailuresReported()}: one record per shard or slice that could not be read, naming it and why. */
  public static final TupleTag<FailedDocument> UNREADABLE = new TupleTag<>() {};
  /**
   * With {@link Read#withPreviousSnapshot(String)}: documents live in the previous snapshot and no longer live at the
   * same place (deleted, updated, or moved by a merge). Those whose id is not among {@link #LIVE_DOCUMENTS} of their
   * index are gone.
   */
  public static final TupleTag<SourceDocument> GONE_DOCUMENTS = new TupleTag<>() {};
  static final TupleTag<ShardSlice> SLICES = new TupleTag<>() {};

  /** Counter: slices not read because a {@link SliceSink} had finished them in an earlier run. */
  public static final String SLICES_SKIPPED = "slices_skipped";

  private SnapshotIO() {}

  /**
   * Takes the documents of each slice where it is read ({@link Read#withSliceSink}), so that it can tell when every
   * document of a slice has arrived, e.g. to record the slice as finished. One instance per worker thread (a DoFn's).
   */
  public interface SliceSink extends java.io.Serializable {
    /** What a worker does with a slice now. */
    enum Turn {
      /** Read it (it is this worker's). */
      READ,
      /** Leave it: an earlier run, or another worker, finished it. */
      SKIP,
      /** Ask again a little later: another worker is reading it. */
      LATER
    }

    void setup();

    /** Whether to read {@code slice} now; {@link Turn#READ} makes it this worker's until read or failed. */
    Turn take(ShardSlice slice);

    /** One document of the slice being read; failures (documents that will not arrive) go to {@code failures}. */
    void accept(SourceDocument document, java.util.function.Consumer<FailedDocument> failures);

    /** The slice was read whole ({@code documents} documents): deliver what is pending, then record it if all arrived. */
    void sliceRead(ShardSlice slice, long documents, java.util.function.Consumer<FailedDocument> failures);

    /** The slice could not be read whole: drop what is pending for it (it is not finished). */
    void sliceFailed(ShardSlice slice, java.util.function.Consumer<FailedDocument> failures);

    void teardown();
  }

  public static Read read() {
    return new Read(null, null, null, Selection.defaults(), 20_000, true, null);
  }

  /** The failure record of a shard (or part of one) that could not be read: its index, no id, and why, with the file. */
  static FailedDocument shardFailure(String index, int shard, String what, Exception e) {
    String problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new FailedDocument(FailedDocument.Stage.READ, index, null, null, "shard_unreadable",
        "shard " + shard + " of index '" + index + "': " + what + ": " + problem, 0, (byte[]) null);
  }

  /** Reads the live documents of the chosen indices of one snapshot. Immutable; configure with {@code with...}. */
  public static final class Read extends PTransform<PBegin, PCollection<SourceDocument>> {
    private static final long serialVersionUID = 1L;
    private final RepositoryLocation repository;
    private final String snapshot;
    private final String previousSnapshot;
    private final Selection selection;
    private final int sliceSize;
    private final boolean verifyChecksums;
    private final SliceSink sliceSink;

    private Read(RepositoryLocation repository, String snapshot, String previousSnapshot, Selection selection, int sliceSize,
        boolean verifyChecksums, SliceSink sliceSink) {
      this.sliceSink = sliceSink;
      this.repository = repository;
      this.snapshot = snapshot;
      this.previousSnapshot = previousSnapshot;
      this.selection = selection;
      this.sliceSize = sliceSize;
      this.verifyChecksums = verifyChecksums;
    }

    /** The repository: a folder or {@code s3://bucket/prefix} (S3's default region and endpoint). */
    public Read from(String repositoryLocation) {
      return from(RepositoryLocation.of(repositoryLocation));
    }

    /** The repository, with how to reach S3 when it is there; workers open it themselves (it carries no secret). */
    public Read from(RepositoryLocation repositoryLocation) {
      return new Read(Objects.requireNonNull(repositoryLocation, "repository"), snapshot, previousSnapshot, selection, sliceSize,
          verifyChecksums, sliceSink);
    }

    public Read withSnapshot(String snapshotName) {
      return new Read(repository, snapshotName, previousSnapshot, selection, sliceSize, verifyChecksums, sliceSink);
    }

    /** Which indices to read, by the rule every step shares (default: all but system indices). */
    public Read withSelection(Selection indices) {
      return new Read(repository, snapshot, previousSnapshot, Objects.requireNonNull(indices, "selection"), sliceSize,
          verifyChecksums, sliceSink);
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
      return new Read(repository, snapshot, previousSnapshot, selection, documents, verifyChecksums, sliceSink);
    }

    /**
     * Reads only what changed since {@code previous}, an earlier snapshot of the same indices in the same repository
     * ({@link io.searchmigrate.snapshot.lucene.ShardDelta}): {@link #LIVE_DOCUMENTS} are the documents live now and not
     * before, and the result also holds {@link #GONE_DOCUMENTS}. Each shard's changes are planned by one worker into
     * slices naming their documents (segments unchanged since are in none), read a chunk at a time as a full read's
     * slices are, so memory does not grow with the delta's size. Use with {@link #withFailuresReported()}, whose tuple carries both outputs.
     */
    public Read withPreviousSnapshot(String previous) {
      return new Read(repository, snapshot, previous, selection, sliceSize, verifyChecksums, sliceSink);
    }

    /**
     * Hands the documents of each slice to {@code sink} where the slice is read, instead of to {@link #LIVE_DOCUMENTS}
     * (which stays empty); slices the sink already finished are not read. Its failures go to {@link #UNREADABLE}. Not with
     * a previous snapshot (a delta reads whole shards).
     */
    public Read withSliceSink(SliceSink sink) {
      return new Read(repository, snapshot, previousSnapshot, selection, sliceSize, verifyChecksums, sink);
    }

    /** Whether to check every shard file against its recorded checksum before reading (default on). */
    public Read withChecksumVerification(boolean verify) {
      return new Read(repository, snapshot, previousSnapshot, selection, sliceSize, verify, sliceSink);
    }

    /**
     * Reads on past shards that cannot be read (a damaged file, a missing blob): each becomes a record on
     * {@link #UNREADABLE} instead of failing the pipeline. The result holds {@link #LIVE_DOCUMENTS} and {@link #UNREADABLE}.
     */
    public PTransform<PBegin, PCollectionTuple> withFailuresReported() {
      Read read = this;
      return new PTransform<PBegin, PCollectionTuple>() {
        private static final long serialVersionUID = 1L;

        @Override
        public PCollectionTuple expand(PBegin input) {
          return read.expandTuple(input, true);
        }
      };
    }

    @Override
    public PCollection<SourceDocument> expand(PBegin input) {
      if (previousSnapshot != null) {
        throw new IllegalStateException("a read since a previous snapshot has deletions too: apply withFailuresReported() "
            + "and take GONE_DOCUMENTS from its tuple");
      }
      return expandTuple(input, false).get(LIVE_DOCUMENTS);
    }

    private PCollectionTuple expandTuple(PBegin input, boolean reportFailures) {
      Objects.requireNonNull(repository, "from(repository) is required");
      Objects.requireNonNull(snapshot, "withSnapshot(name) is required");
      PCollection<ShardRef> shards = input
          .apply("Start", Impulse.create())
          .apply("ListShards", ParDo.of(new ListShardsFn(repository, snapshot, selection)))
          .setCoder(ShardRef.CODER)
          .apply("SpreadShards", Reshuffle.viaRandomKey());
      if (previousSnapshot != null) {
        if (sliceSink != null) {
          throw new IllegalStateException("a read since a previous snapshot has slices of changed documents only: no sink records whole slices of it");
        }
        PCollectionTuple planned = shards.apply("PlanShardDeltas", ParDo.of(new PlanShardDeltaFn(repository, snapshot,
            previousSnapshot, sliceSize, verifyChecksums, reportFailures)).withOutputTags(SLICES, TupleTagList.of(UNREADABLE)));
        PCollectionTuple read = readSlices(planned, previousSnapshot, reportFailures);
        return PCollectionTuple.of(LIVE_DOCUMENTS, unchunk(read.get(ReadSliceFn.CHUNKS), "Unchunk"))
            .and(GONE_DOCUMENTS, unchunk(read.get(ReadSliceFn.GONE_CHUNKS), "UnchunkGone"))
            .and(UNREADABLE, failures(planned, read));
      }
      PCollectionTuple planned = shards
          .apply("PlanShards", ParDo.of(new PlanShardFn(repository, snapshot, sliceSize, verifyChecksums, reportFailures))
              .withOutputTags(SLICES, TupleTagList.of(UNREADABLE)));
      PCollectionTuple read = readSlices(planned, null, reportFailures);
      return PCollectionTuple.of(LIVE_DOCUMENTS, unchunk(read.get(ReadSliceFn.CHUNKS), "Unchunk"))
          .and(UNREADABLE, failures(planned, read));
    }

    private PCollectionTuple readSlices(PCollectionTuple planned, String previous, boolean reportFailures) {
      PCollectionTuple read = planned.get(SLICES)
          .setCoder(ShardSlice.CODER)
          .apply("SpreadSlices", Reshuffle.viaRandomKey())
          .apply("ReadSlices", ParDo.of(new ReadSliceFn(repository, snapshot, previous, reportFailures, sliceSink))
              .withOutputTags(ReadSliceFn.CHUNKS, TupleTagList.of(UNREADABLE).and(ReadSliceFn.GONE_CHUNKS)));
      read.get(ReadSliceFn.GONE_CHUNKS).setCoder(ListCoder.of(SourceDocumentCoder.of())); // empty on a full read
      return read;
    }

    private static PCollection<SourceDocument> unchunk(PCollection<List<SourceDocument>> chunks, String name) {
      return chunks.setCoder(ListCoder.of(SourceDocumentCoder.of()))
          .apply(name, Flatten.iterables())
          .setCoder(SourceDocumentCoder.of());
    }

    private static PCollection<FailedDocument> failures(PCollectionTuple planned, PCollectionTuple read) {
      return PCollectionList
          .of(planned.get(UNREADABLE).setCoder(FailedDocument.coder()))
          .and(read.get(UNREADABLE).setCoder(FailedDocument.coder()))
          .apply("ShardFailures", Flatten.pCollections());
    }
  }
}
