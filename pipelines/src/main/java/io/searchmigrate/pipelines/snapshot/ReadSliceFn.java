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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Reads one slice of a shard. Keeps the last few shards open, since slices of one shard often land on the same
 * worker and opening a shard costs a round of metadata reads. A slice that cannot be read fails the pipeline or, when
 * failures are reported, becomes a {@link FailedDocument} on {@link SnapshotIO#UNREADABLE} (the documents read before
 * the problem stay in the output).
 */
final class ReadSliceFn extends DoFn<ShardSlice, SourceDocument> {
  private static final long serialVersionUID = 1L;
  private static final int OPEN_SHARDS = 4;

  private final RepositoryLocation repository;
  private final String snapshot;
  private final Counter slicesRead = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SLICES_READ);
  private final Counter luceneDocsVisited = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.LUCENE_DOCS_VISITED);
  private transient SnapshotRepository repo;
  private transient RepositoryData.SnapshotEntry snap;
  private transient Map<ShardRef, ShardDocumentReader> open;
  private transient IndexCounters counters;

  private final Counter slicesSkipped = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SLICES_SKIPPED);
  private final boolean reportFailures;
  private final SnapshotIO.SliceSink sink;

  ReadSliceFn(RepositoryLocation repository, String snapshot, boolean reportFailures, SnapshotIO.SliceSink sink) {
    this.repository = repository;
    this.snapshot = snapshot;
    this.reportFailures = reportFailures;
    this.sink = sink;
  }

  @Setup
  public void setup() {
    repo = SnapshotRepository.open(repository.open());
    snap = repo.snapshot(snapshot);
    open = new LinkedHashMap<>(8, 0.75f, true);
    counters = new IndexCounters(SnapshotIO.METRICS_NAMESPACE);
    if (sink != null) {
      sink.setup();
    }
  }

  @ProcessElement
  public void process(@Element ShardSlice slice, MultiOutputReceiver out) throws IOException {
    if (sink != null && sink.finished(slice)) {
      slicesSkipped.inc();
      return;
    }
    ShardDocumentReader.SliceStats stats;
    try {
      if (sink == null) {
        stats = reader(slice.shard).read(slice.from, slice.to, out.get(SnapshotIO.LIVE_DOCUMENTS)::output);
      } else {
        stats = reader(slice.shard).read(slice.from, slice.to,
            document -> sink.accept(document, out.get(SnapshotIO.UNREADABLE)::output));
      }
    } catch (IOException | RuntimeException e) {
      if (sink != null) {
        sink.sliceFailed(slice, out.get(SnapshotIO.UNREADABLE)::output);
      }
      if (!reportFailures) {
        throw e;
      }
      ShardDocumentReader broken = open.remove(slice.shard);
      if (broken != null) {
        closeQuietly(broken);
      }
      counters.inc(slice.shard.index, SnapshotIO.SHARDS_FAILED, 1);
      out.get(SnapshotIO.UNREADABLE).output(SnapshotIO.shardFailure(slice.shard.index, slice.shard.shard,
          "Lucene documents " + slice.from + " to " + slice.to + " cannot be read", e));
      slicesRead.inc();
      return;
    }
    if (sink != null) {
      sink.sliceRead(slice, stats.documents, out.get(SnapshotIO.UNREADABLE)::output);
    }
    counters.inc(slice.shard.index, SnapshotIO.DOCUMENTS, stats.documents);
    counters.inc(slice.shard.index, SnapshotIO.NESTED, stats.withoutId);
    luceneDocsVisited.inc(stats.visited);
    slicesRead.inc();
  }

  private ShardDocumentReader reader(ShardRef shard) throws IOException {
    ShardDocumentReader reader = open.get(shard);
    if (reader == null) {
      // the plan step already verified this shard's checksums
      reader = ShardReaders.open(repo.blobs(), repo.shard(snap, shard.index, shard.shard), shard.defaultType, false);
      open.put(shard, reader);
      if (open.size() > OPEN_SHARDS) {
        Iterator<Map.Entry<ShardRef, ShardDocumentReader>> eldest = open.entrySet().iterator();
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
