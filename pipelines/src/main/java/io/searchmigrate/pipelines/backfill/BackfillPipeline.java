package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.pipelines.FailedDocument;
import io.searchmigrate.pipelines.coders.TargetDocumentCoder;
import io.searchmigrate.pipelines.opensearch.OpenSearchIO;
import io.searchmigrate.pipelines.snapshot.SnapshotIO;
import io.searchmigrate.transforms.document.DocumentTransform;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The backfill as a Beam pipeline: snapshot → live documents → transform → OpenSearch bulk sink, with every
 * document that cannot be delivered written to a dead-letter NDJSON file.
 *
 * <pre>
 * ReadSnapshot ─► Transform ─► WriteToTarget ─┐
 *                     └─ failures ───────────┴─► DeadLetters (NDJSON)
 * </pre>
 */
public final class BackfillPipeline {
  private BackfillPipeline() {}

  /** Adds the backfill of the given (exact) indices to {@code pipeline}. */
  public static void build(Pipeline pipeline, BackfillConfig config, List<String> indices, DocumentTransform transform,
      String progressRunId) {
    PCollection<SourceDocument> documents = pipeline.apply("ReadSnapshot", SnapshotIO.read()
        .from(config.repository).withSnapshot(config.snapshot).withIndices(indices)
        .withSliceSize(config.sliceSize).withChecksumVerification(config.verifyChecksums).withProgress(progressRunId));

    PCollectionTuple transformed = documents.apply("Transform",
        ParDo.of(new ToTargetDocumentsFn(transform, progressRunId))
            .withOutputTags(ToTargetDocumentsFn.DOCUMENTS, TupleTagList.of(ToTargetDocumentsFn.FAILURES)));

    PCollection<FailedDocument> writeFailures = transformed.get(ToTargetDocumentsFn.DOCUMENTS)
        .setCoder(TargetDocumentCoder.of())
        .apply("WriteToTarget", OpenSearchIO.write().to(config.target)
            .withMaxBatchDocs(config.maxBatchDocs).withMaxBatchBytes(config.maxBatchBytes)
            .withBackoff(config.backoff).withProgress(progressRunId));

    PCollectionList.of(transformed.get(ToTargetDocumentsFn.FAILURES).setCoder(SerializableCoder.of(FailedDocument.class)))
        .and(writeFailures)
        .apply("AllFailures", Flatten.pCollections())
        .apply("ToJsonLines", MapElements.into(TypeDescriptors.strings()).via((FailedDocument f) -> f.toJsonLine()))
        .apply("DeadLetters", TextIO.write().to(config.deadLetterFile.toAbsolutePath().toString()).withoutSharding());
  }
}
