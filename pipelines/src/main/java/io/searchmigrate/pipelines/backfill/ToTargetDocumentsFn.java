package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.pipelines.BackfillCounters;
import io.searchmigrate.pipelines.BackfillProgress;
import io.searchmigrate.pipelines.FailedDocument;
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
  private final String progressRunId;
  private transient BackfillCounters counters;

  ToTargetDocumentsFn(DocumentTransform transform, String progressRunId) {
    this.transform = transform;
    this.progressRunId = progressRunId;
  }

  @Setup
  public void setup() {
    counters = new BackfillCounters();
  }

  @ProcessElement
  public void process(@Element SourceDocument document, MultiOutputReceiver out) {
    if (!document.hasSource()) {
      counters.inc(document.index(), BackfillCounters.Kind.NO_SOURCE, 1);
      BackfillProgress.of(progressRunId).failed(1);
      out.get(FAILURES).output(new FailedDocument(FailedDocument.Stage.READ, document.index(), document.id(), document.routing(),
          "source_missing", "the document has no stored _source (its index disables or filters _source), so a snapshot "
          + "cannot reproduce it; reindex it from its system of record", 0, null));
      return;
    }
    try {
      for (TargetDocument target : transform.apply(document)) {
        out.get(DOCUMENTS).output(target);
      }
    } catch (Exception e) {
      counters.inc(document.index(), BackfillCounters.Kind.FAILED, 1);
      BackfillProgress.of(progressRunId).failed(1);
      out.get(FAILURES).output(new FailedDocument(FailedDocument.Stage.TRANSFORM, document.index(), document.id(),
          document.routing(), "transform_failed", "transform '" + transform.name() + "' failed: " + e, 0, document.source()));
    }
  }
}
