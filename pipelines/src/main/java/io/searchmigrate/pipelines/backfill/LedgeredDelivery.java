package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.pipelines.metrics.IndexCounters;
import io.searchmigrate.pipelines.opensearch.FailedDocument;
import io.searchmigrate.pipelines.opensearch.OpenSearchIO;
import io.searchmigrate.pipelines.snapshot.ShardSlice;
import io.searchmigrate.pipelines.snapshot.SnapshotIO;
import io.searchmigrate.transforms.document.DocumentTransform;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Delivers each slice's documents to the target where the slice is read (transform, then bulk requests of at most
 * the batch size), and records the slice in the {@link ProgressLedger} once every one of its documents was acknowledged
 * by the target. A slice with a document that did not arrive (dead-lettered) is not recorded: a later run reads it
 * again and reports its failures again, so nothing is lost to a crash between the failure and its dead-letter line.
 * Only one batch of documents is held at a time, whatever the size of the slice or bundle.
 *
 * <pre>{@code
 * SnapshotIO.read()....withSliceSink(new LedgeredDelivery(transform, write.inline(), ledgerPlace, snapshot, target))
 * }</pre>
 */
final class LedgeredDelivery implements SnapshotIO.SliceSink {
  private static final long serialVersionUID = 1L;
  private final DocumentTransform transform;
  private final OpenSearchIO.Inline writer;
  private final BackfillPipeline.LedgerPlace place;
  private final String snapshot;
  private final String target;
  private transient SliceLedger ledger;
  private transient IndexCounters counters;
  private transient long failedInSlice;

  LedgeredDelivery(DocumentTransform transform, OpenSearchIO.Inline writer, BackfillPipeline.LedgerPlace place,
      String snapshot, String target) {
    this.transform = transform;
    this.writer = writer;
    this.place = place;
    this.snapshot = snapshot;
    this.target = target;
  }

  @Override
  public void setup() {
    ledger = place.open();
    counters = new IndexCounters(BackfillCounts.NAMESPACE);
    writer.open();
  }

  @Override
  public SnapshotIO.SliceSink.Turn take(ShardSlice slice) {
    return ledger.claim(entry(slice, 0));
  }

  private ProgressLedger.Entry entry(ShardSlice slice, long documents) {
    return new ProgressLedger.Entry(slice.index(), slice.shard(), slice.from(), slice.to(), documents, snapshot,
        place.snapshotUuid(), target, Instant.now());
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
      ledger.record(entry(slice, documents));
    } else {
      ledger.release(entry(slice, 0)); // read again by a later run, which reports its failures again
    }
    failedInSlice = 0;
  }

  @Override
  public void sliceFailed(ShardSlice slice, Consumer<FailedDocument> failures) {
    writer.flush(counted(failures)); // what was read before the problem still goes out
    ledger.release(entry(slice, 0));
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
