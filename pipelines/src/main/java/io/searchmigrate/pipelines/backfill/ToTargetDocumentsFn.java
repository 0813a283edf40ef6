package io.searchmigrate.pipelines.backfill;

import java.util.function.Consumer;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.pipelines.metrics.IndexCounters;
import io.searchmigrate.pipelines.opensearch.FailedDocument;
import io.searchmigrate.transforms.document.DocumentTransform;
import io.searchmigrate.transforms.document.TargetDocument;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Runs the document transform. Documents stored without a source, and documents the transform rejects, go to
 * the failure output with the reason: never silently dropped.
 */
final class ToTargetDocumentsFn extends DoFn<SourceDocument, TargetDocument> {
  private static final long serialVersionUID = 1L;
  static final TupleTag<TargetDocument> DOCUMENTS = new TupleTag<>() {};
  static final TupleTag<FailedDocument> FAILURES = new TupleTag<>() {};

  private final DocumentTransform transform;
  private transient IndexCounters counters;

  ToTargetDocumentsFn(DocumentTransform transform) {
    this.transform = transform;
  }

  @Setup
  public void setup() {
    counters = new IndexCounters(BackfillCounts.NAMESPACE);
  }

  @ProcessElement
  public void process(@Element SourceDocument document, MultiOutputReceiver out) {
    convert(document, transform, counters, out.get(DOCUMENTS)::output, out.get(FAILURES)::output);
  }

  /** The target documents of one source document, or why there are none. */
  static void convert(SourceDocument document, DocumentTransform transform, IndexCounters counters,
      Consumer<TargetDocument> documents, Consumer<FailedDocument> failures) {
    if (!document.hasSource()) {
      counters.inc(document.index(), BackfillCounts.NO_SOURCE, 1);
      failures.accept(new FailedDocument(FailedDocument.Stage.READ, document.index(), document.id(), document.routing(),
          "source_missing", "the document has no stored _source (its index disables or filters _source), so a snapshot "
          + "cannot reproduce it; reindex it from its system of record", 0, null));
      return;
    }
    try {
      for (TargetDocument target : transform.apply(document)) {
        documents.accept(target);
      }
    } catch (Exception e) {
      counters.inc(document.index(), BackfillCounts.TRANSFORM_FAILED, 1);
      failures.accept(new FailedDocument(FailedDocument.Stage.TRANSFORM, document.index(), document.id(),
          document.routing(), "transform_failed", "transform '" + transform.name() + "' failed: " + e, 0, document.source()));
    }
  }
}
