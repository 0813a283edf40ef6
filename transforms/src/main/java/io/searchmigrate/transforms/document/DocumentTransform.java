package io.searchmigrate.transforms.document;

import io.searchmigrate.common.document.SourceDocument;
import java.io.Serializable;
import java.util.List;

/**
 * Turns one source document into the documents the target should hold (usually one; none drops it; several
 * split it). Implementations are pure and serializable so pipelines can run them on any worker.
 *
 * <pre>{@code
 * DocumentTransform transform = DocumentTransforms.standard();
 * List<TargetDocument> out = transform.apply(sourceDocument);
 * }</pre>
 *
 * <p>Throwing means the document cannot be migrated: the pipeline reports it in the dead-letter output with
 * the transform's {@link #name()} and the exception's message.
 */
public interface DocumentTransform extends Serializable {
  /** A short name shown in reports. */
  String name();

  List<TargetDocument> apply(SourceDocument document) throws Exception;
}
