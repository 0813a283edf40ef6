package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.pipelines.metrics.IndexCounters;
import io.searchmigrate.pipelines.opensearch.FailedDocument;
import io.searchmigrate.pipelines.opensearch.OpenSearchIO;
import io.searchmigrate.pipelines.snapshot.ShardSlice;
import io.searchmigrate.pipelines.snapshot.SnapshotIO;
import io.searchmigrate.transforms.document.DocumentTransform;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Delivers each slice's documents to the target where the slice is read (transform, then bulk requests of at most
 * the batch size), and records the slice in the {@link ProgressLedger} once every one of its documents was acknowledged
 * by the target. A slice with a document that did not arrive (dead-lettered) is not recorded: a later run reads it
 * again and reports its failures again, so nothing is lost to a crash between the failure and its dead-letter line.
 * Only one batch of documents is held at a time, whatever the size of the slice or bundle.
 *
 * <pre>{@code
 * SnapshotIO.read()....withSliceSink(new LedgeredDelivery(transform, write.inline(), ledgerDir, snapshot, uuid, target))
 * }</pre>
 */
final class LedgeredDelivery implements SnapshotIO.SliceSink {
  private static final long serialVersionUID = 1L;
  private final DocumentTransform transform;
  private final OpenSearchIO.Inline writer;
  private final String ledgerDir;
  private final String snapshot;
  private final String snapshotUuid;
  private final String target;
  private transient ProgressLedger ledger;
  private transient Set<String> finished;
  private transient IndexCounters counters;
  private transient long failedInSlice;

  LedgeredDelivery(DocumentTransform transform, OpenSearchIO.Inline writer, Path ledgerDir, String snapshot,
      String snapshotUuid, String target) {
    this.transform = transform;
    this.writer = writer;
    this.ledgerDir = ledgerDir.toAbsolutePath().toString();
    this.snapshot = snapshot;
    this.snapshotUuid = snapshotUuid;
    this.target = target;
  }

  @Override
  public void setup() {
    ledger = ProgressLedger.at(Path.of(ledgerDir));
    finished = ledger.finished();
    counters = new IndexCounters(BackfillCounts.NAMESPACE);
    writer.open();
  }

  @Override
  public boolean finished(ShardSlice slice) {
    return finished.contains(ProgressLedger.key(slice.index(), slice.shard(), slice.from(), slice.to()));
  }

  @Override
  public void accept(SourceDocument document, Consumer<FailedDocument> failures) {
    ToTargetDocumentsFn.convert(document, transform, counters, target -> writer.add(target, counted(failures)),
        counted(failures));
  }

  @Override
  public void sliceRead(ShardSlice slice, long documents, Consumer<FailedDocument> failures) {
    writer.flush(counted(failures));
    if (failedInSlice == 0) {
      ledger.record(new ProgressLedger.Entry(slice.index(), slice.shard(), slice.from(), slice.to(), documents, snapshot,
          snapshotUuid, target, Instant.now()));
    }
    failedInSlice = 0;
  }

  @Override
  public void sliceFailed(ShardSlice slice, Consumer<FailedDocument> failures) {
    writer.flush(counted(failures)); // what was read before the problem still goes out
    failedInSlice = 0;
  }

  private Consumer<FailedDocument> counted(Consumer<FailedDocument> failures) {
    return failure -> {
      failedInSlice++;
      failures.accept(failure);
    };
  }

  @Override
  public void teardown() {}
}
