package io.searchmigrate.validation;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.transforms.document.DocumentTransform;
import io.searchmigrate.transforms.document.TargetDocument;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A document as the comparison sees it. Source documents first go through the migration's own document transform
 * (type removal, {@code split} naming), so they are keyed where the migration put them; target documents are taken
 * as they are ({@code transform} null).
 */
final class ToComparedFn extends DoFn<SourceDocument, ComparedDocument> {
  private static final long serialVersionUID = 1L;
  private final DocumentTransform transform;
  private final boolean digestOnly;

  ToComparedFn(DocumentTransform transform) {
    this(transform, false);
  }

  private ToComparedFn(DocumentTransform transform, boolean digestOnly) {
    this.transform = transform;
    this.digestOnly = digestOnly;
  }

  /** Outputs each document with its digest but without its source ({@link ComparedDocument#withoutSource()}). */
  ToComparedFn digestOnly() {
    return new ToComparedFn(transform, true);
  }

  @ProcessElement
  public void process(@Element SourceDocument document, OutputReceiver<ComparedDocument> out) {
    for (ComparedDocument d : compared(document, transform)) {
      out.output(digestOnly ? d.withoutSource() : d);
    }
  }

  static List<ComparedDocument> compared(SourceDocument document, DocumentTransform transform) {
    List<ComparedDocument> out = new ArrayList<>();
    if (transform != null && document.hasSource()) {
      try {
        for (TargetDocument t : transform.apply(document)) {
          out.add(new ComparedDocument(t.index(), t.id(), t.routing(), t.source(), document.index(),
              document.type()));
        }
        return out;
      } catch (Exception e) {
        // compared as stored: the backfill reported it as not delivered, so it shows as missing or differing
      }
    }
    out.add(new ComparedDocument(document.index(), document.id(), document.routing(), document.source(),
        document.index(), transform == null ? null : document.type()));
    return out;
  }
}
