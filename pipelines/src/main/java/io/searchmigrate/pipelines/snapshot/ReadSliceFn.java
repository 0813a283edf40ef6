package io.searchmigrate.pipelines.snapshot;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.pipelines.metrics.IndexCounters;
import io.searchmigrate.pipelines.opensearch.FailedDocument;
import io.searchmigrate.snapshot.blob.RepositoryLocation;
import io.searchmigrate.snapshot.lucene.ShardDocumentReader;
import io.searchmigrate.snapshot.lucene.ShardReaders;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;

/**
 * Reads one slice of a shard. Keeps the last few shards open, since slices of one shard often land on the same
 * worker and opening a shard costs a round of metadata reads. A slice that cannot be read fails the pipeline or, when
 * failures are reported, becomes a {@link FailedDocument} on {@link SnapshotIO#UNREADABLE} (the documents read before
 * the problem stay in the output).
 *
 * <p>Splittable over the slice's Lucene document numbers, so a runner may take the documents a part at a time: the
 * DirectRunner, which holds what a step outputs until the step's call returns, checkpoints every 100 outputs and
 * queues the rest of the slice behind the steps downstream, so memory does not grow with the slice's size (Flink
 * reads a slice in one call and passes documents on one by one, with back-pressure). Documents go out in
 * {@link #CHUNK}s (SnapshotIO flattens them), so that a turn of the DirectRunner is big enough to fill a bulk request
 * and few enough turns keep its per-turn cost small. On the DirectRunner, which has no back-pressure, at most
 * {@link #DIRECT_RUNNER_SLICES} slices are in progress per JVM ({@link SlicesInProgress}), so memory does not grow with
 * the number of slices either. A slice is finished when its last document number has been read.
 *
 * <p>A delta's slices ({@link PlanShardDeltaFn}) are read the same way, their documents only: those of the previous
 * snapshot (gone since) go to {@link #GONE_CHUNKS}.
 *
 * <p>With a {@link SnapshotIO.SliceSink} (the progress ledger), documents go to the sink where they are read and a
 * slice is read whole in one call, since the sink records whole slices; the sink's own batches bound the memory.
 */
@DoFn.BoundedPerElement
final class ReadSliceFn extends DoFn<ShardSlice, List<SourceDocument>> {
  private static final long serialVersionUID = 1L;
  private static final int OPEN_SHARDS = 4;
  /** The documents of a read, in chunks. */
  static final TupleTag<List<SourceDocument>> CHUNKS = new TupleTag<>() {};
  /** The documents of a delta's slices of the previous snapshot ({@link ShardSlice#gone}), in chunks. */
  static final TupleTag<List<SourceDocument>> GONE_CHUNKS = new TupleTag<>() {};
  /**
   * Documents per output at most (and document numbers per claim): a DirectRunner turn of 100 outputs holds up to
   * 10,000 documents. Each turn costs the runner a round of its own work (a new evaluator per step, timers), a
   * tenth of a validation's CPU with chunks of 25.
   */
  static final int CHUNK = 100;
  /** Source bytes per output at most (a chunk ends at whichever comes first): a turn holds about 25 MB at most. */
  static final int CHUNK_BYTES = 256 * 1024;
  /**
   * Slices in progress at once per JVM on the DirectRunner: at most about 100 MB of documents per turn of its queue,
   * and enough reading to outrun any target (one core reads over 100,000 documents a second).
   */
  static final int DIRECT_RUNNER_SLICES = 4;
  /** Document numbers looked at per call of the reader: how far a read goes past a checkpoint before it notices. */
  private static final int STEP = 512;

  private final RepositoryLocation repository;
  private final String snapshot;
  /** With a delta: where its gone slices are read. */
  private final String previousSnapshot;
  private final Counter slicesRead = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SLICES_READ);
  private final Counter luceneDocsVisited = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.LUCENE_DOCS_VISITED);
  private transient SnapshotRepository repo;
  private transient RepositoryData.SnapshotEntry snap;
  private transient RepositoryData.SnapshotEntry previous;
  private transient Map<OpenShard, ShardDocumentReader> open;
  private transient IndexCounters counters;
  private transient int slicesAtOnce;

  private final Counter slicesSkipped = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SLICES_SKIPPED);
  private final boolean reportFailures;
  private final SnapshotIO.SliceSink sink;
  /** Names this read among the pipelines of the JVM, for {@link SlicesInProgress}. */
  private final String readId = UUID.randomUUID().toString();

  ReadSliceFn(RepositoryLocation repository, String snapshot, boolean reportFailures, SnapshotIO.SliceSink sink) {
    this(repository, snapshot, null, reportFailures, sink);
  }

  /** With {@code previousSnapshot}: reads a delta's slices ({@link PlanShardDeltaFn}), gone ones from that snapshot. */
  ReadSliceFn(RepositoryLocation repository, String snapshot, String previousSnapshot, boolean reportFailures,
      SnapshotIO.SliceSink sink) {
    this.repository = repository;
    this.snapshot = snapshot;
    this.previousSnapshot = previousSnapshot;
    this.reportFailures = reportFailures;
    this.sink = sink;
  }

  @StartBundle
  public void startBundle(PipelineOptions options) {
    // Flink (and other runners with back-pressure) run one slice per slot: no limit needed there
    slicesAtOnce = options.getRunner().getSimpleName().equals("DirectRunner") ? DIRECT_RUNNER_SLICES : Integer.MAX_VALUE;
  }

  @GetInitialRestriction
  public OffsetRange initialRestriction(@Element ShardSlice slice) {
    return new OffsetRange(slice.from, slice.to);
  }

  @GetRestrictionCoder
  public Coder<OffsetRange> restrictionCoder() {
    return OffsetRange.Coder.of();
  }

  @Setup
  public void setup() {
    repo = SnapshotRepository.open(repository.open());
    snap = repo.snapshot(snapshot);
    previous = previousSnapshot == null ? null : repo.snapshot(previousSnapshot);
    open = new LinkedHashMap<>(8, 0.75f, true);
    counters = new IndexCounters(SnapshotIO.METRICS_NAMESPACE);
    if (sink != null) {
      sink.setup();
    }
  }

  @ProcessElement
  public ProcessContinuation process(@Element ShardSlice slice, RestrictionTracker<OffsetRange, Long> tracker,
      MultiOutputReceiver out) throws IOException {
    if (sink != null) {
      return processIntoSink(slice, tracker, out);
    }
    if (!SlicesInProgress.enter(readId, slice, slicesAtOnce)) {
      return ProcessContinuation.resume().withResumeDelay(Duration.millis(SlicesInProgress.waitMillis(readId)));
    }
    OffsetRange range = tracker.currentRestriction();
    ShardDocumentReader.SliceStats stats = new ShardDocumentReader.SliceStats();
    Chunks chunks = new Chunks(out.get(slice.gone ? GONE_CHUNKS : CHUNKS)::output);
    Claims claims = new Claims(tracker, range.getTo(), chunks);
    java.util.function.IntPredicate which = slice.only == null ? claims : doc -> claims.test(doc) && slice.reads(doc);
    boolean done = false;
    try {
      ShardDocumentReader reader = reader(slice);
      for (long from = range.getFrom(); from < range.getTo() && !claims.refused; from += STEP) {
        stats.add(reader.read((int) from, (int) Math.min(range.getTo(), from + STEP), which, chunks));
      }
      chunks.flush();
      done = !claims.refused && range.getTo() == slice.to;
    } catch (IOException | RuntimeException e) {
      if (!reportFailures || claims.refused) {
        SlicesInProgress.leave(readId, slice);
        throw e;
      }
      ShardDocumentReader broken = open.remove(new OpenShard(slice.shard, slice.gone));
      if (broken != null) {
        closeQuietly(broken);
      }
      chunks.flush();
      counters.inc(slice.shard.index, SnapshotIO.SHARDS_FAILED, 1);
      out.get(SnapshotIO.UNREADABLE).output(SnapshotIO.shardFailure(slice.shard.index, slice.shard.shard,
          "Lucene documents " + slice.from + " to " + slice.to + " cannot be read", e));
      claims.giveUp();
      done = true;
    } finally {
      if (slice.gone) {
        counters.inc(slice.shard.index, SnapshotIO.GONE, stats.documents);
      } else {
        counters.inc(slice.shard.index, SnapshotIO.DOCUMENTS, stats.documents);
        counters.inc(slice.shard.index, SnapshotIO.NESTED, stats.withoutId);
      }
      luceneDocsVisited.inc(stats.visited);
      if (done) {
        slicesRead.inc();
        SlicesInProgress.leave(readId, slice);
      }
    }
    return ProcessContinuation.stop();
  }

  /**
   * The whole slice into the sink, claimed at once (no runner splits it); skipped when an earlier run (or another worker)
   * finished it, and asked about again a little later while another worker reads it.
   */
  private ProcessContinuation processIntoSink(ShardSlice slice, RestrictionTracker<OffsetRange, Long> tracker,
      MultiOutputReceiver out) throws IOException {
    SnapshotIO.SliceSink.Turn turn = sink.take(slice);
    if (turn == SnapshotIO.SliceSink.Turn.LATER) {
      return ProcessContinuation.resume().withResumeDelay(Duration.standardSeconds(2));
    }
    if (!tracker.tryClaim(tracker.currentRestriction().getTo() - 1)) {
      if (turn == SnapshotIO.SliceSink.Turn.READ) {
        sink.sliceFailed(slice, out.get(SnapshotIO.UNREADABLE)::output); // the runner took it away: it goes back
      }
      return ProcessContinuation.stop();
    }
    if (turn == SnapshotIO.SliceSink.Turn.SKIP) {
      slicesSkipped.inc();
      return ProcessContinuation.stop();
    }
    ShardDocumentReader.SliceStats stats;
    try {
      stats = reader(slice).read(slice.from, slice.to,
          document -> sink.accept(document, out.get(SnapshotIO.UNREADABLE)::output));
    } catch (IOException | RuntimeException e) {
      sink.sliceFailed(slice, out.get(SnapshotIO.UNREADABLE)::output);
      if (!reportFailures) {
        throw e;
      }
      ShardDocumentReader broken = open.remove(new OpenShard(slice.shard, false));
      if (broken != null) {
        closeQuietly(broken);
      }
      counters.inc(slice.shard.index, SnapshotIO.SHARDS_FAILED, 1);
      out.get(SnapshotIO.UNREADABLE).output(SnapshotIO.shardFailure(slice.shard.index, slice.shard.shard,
          "Lucene documents " + slice.from + " to " + slice.to + " cannot be read", e));
      slicesRead.inc();
      return ProcessContinuation.stop();
    }
    sink.sliceRead(slice, stats.documents, out.get(SnapshotIO.UNREADABLE)::output);
    counters.inc(slice.shard.index, SnapshotIO.DOCUMENTS, stats.documents);
    counters.inc(slice.shard.index, SnapshotIO.NESTED, stats.withoutId);
    luceneDocsVisited.inc(stats.visited);
    slicesRead.inc();
    return ProcessContinuation.stop();
  }

  /** Gathers documents into chunks of {@link #CHUNK} documents or {@link #CHUNK_BYTES} of sources. */
  static final class Chunks implements java.util.function.Consumer<SourceDocument> {
    private final java.util.function.Consumer<List<SourceDocument>> out;
    private List<SourceDocument> chunk = new ArrayList<>(CHUNK);
    private long bytes;

    Chunks(java.util.function.Consumer<List<SourceDocument>> out) {
      this.out = out;
    }

    @Override
    public void accept(SourceDocument document) {
      chunk.add(document);
      bytes += document.hasSource() ? document.source().length : 0;
      if (chunk.size() == CHUNK || bytes >= CHUNK_BYTES) {
        flush();
      }
    }

    void flush() {
      if (!chunk.isEmpty()) {
        out.accept(chunk);
        chunk = new ArrayList<>(CHUNK);
        bytes = 0;
      }
    }
  }

  /**
   * Claims document numbers a chunk's worth at a time, before reading them; sends the chunk read so far out first (no
   * output may follow a refused claim). Once the runner has taken the rest away, reads nothing more.
   */
  private static final class Claims implements java.util.function.IntPredicate {
    private final RestrictionTracker<OffsetRange, Long> tracker;
    private final long end;
    private final Chunks chunks;
    private long claimedUpTo = -1;
    boolean refused;

    Claims(RestrictionTracker<OffsetRange, Long> tracker, long end, Chunks chunks) {
      this.tracker = tracker;
      this.end = end;
      this.chunks = chunks;
    }

    @Override
    public boolean test(int doc) {
      if (refused) {
        return false;
      }
      if (doc > claimedUpTo) {
        chunks.flush();
        claimedUpTo = Math.min(end - 1, (long) doc + CHUNK - 1);
        refused = !tracker.tryClaim(claimedUpTo);
      }
      return !refused;
    }

    /** After a failure: the rest of the slice counts as tried (its failure record stands for it). */
    void giveUp() {
      if (!refused && claimedUpTo < end - 1) {
        refused = !tracker.tryClaim(end);
      }
    }
  }

  /** A shard open for reading, in the snapshot or (a delta's gone slices) in the previous one. */
  private record OpenShard(ShardRef shard, boolean previous) {}

  private ShardDocumentReader reader(ShardSlice slice) throws IOException {
    OpenShard key = new OpenShard(slice.shard, slice.gone);
    ShardDocumentReader reader = open.get(key);
    if (reader == null) {
      // the plan step already verified this shard's checksums
      ShardRef shard = slice.shard;
      reader = ShardReaders.open(repo.blobs(), repo.shard(slice.gone ? previous : snap, shard.index, shard.shard),
          shard.defaultType, false);
      open.put(key, reader);
      if (open.size() > OPEN_SHARDS) {
        Iterator<Map.Entry<OpenShard, ShardDocumentReader>> eldest = open.entrySet().iterator();
        eldest.next().getValue().close();
        eldest.remove();
      }
    }
    return reader;
  }

  private static void closeQuietly(ShardDocumentReader reader) {
    try {
      reader.close();
    } catch (IOException | RuntimeException e) {
      // already failing: the failure output says why
    }
  }

  @Teardown
  public void teardown() throws IOException {
    if (sink != null) {
      sink.teardown();
    }
    if (open != null) {
      for (ShardDocumentReader reader : open.values()) {
        reader.close();
      }
      open.clear();
    }
    if (repo != null) {
      repo.close();
    }
  }
}
