package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.pipelines.options.RepositoryLocations;
import io.searchmigrate.common.Durations;
import io.searchmigrate.common.Selection;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.pipelines.coders.TargetDocumentCoder;
import io.searchmigrate.pipelines.deadletters.DeadLetterIO;
import io.searchmigrate.pipelines.opensearch.FailedDocument;
import io.searchmigrate.pipelines.opensearch.OpenSearchIO;
import io.searchmigrate.pipelines.snapshot.SnapshotIO;
import io.searchmigrate.transforms.document.DocumentTransform;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The backfill as a Beam pipeline: snapshot → live documents → transform → OpenSearch bulk sink, with every
 * document that cannot be delivered, and every shard that cannot be read, appended to a dead-letter NDJSON file as
 * it happens (so a run that dies still tells what failed before).
 *
 * <pre>
 * ReadSnapshot ─► Transform ─► WriteToTarget ─┐
 *      │              └─ failures ───────────┤
 *      └─ unreadable shards ─────────────────┴─► DeadLetters (NDJSON, appended per bundle)
 * </pre>
 *
 * <pre>{@code
 * pipeline.apply(new BackfillPipeline(options, selection, target, transform, deadLetterFile));
 * }</pre>
 */
final class BackfillPipeline extends PTransform<PBegin, PDone> {
  private static final long serialVersionUID = 1L;
  private final transient BackfillOptions options;
  private final Selection selection;
  private final ClusterEndpoint target;
  private final DocumentTransform transform;
  private final String deadLetterFile;

  BackfillPipeline(BackfillOptions options, Selection selection, ClusterEndpoint target, DocumentTransform transform,
      Path deadLetterFile) {
    this(options, selection, target, transform, deadLetterFile.toAbsolutePath().toString());
  }

  /** @param deadLetters a file or {@code s3://bucket/prefix} (reached as the options' --s3Region/--s3Endpoint say) */
  BackfillPipeline(BackfillOptions options, Selection selection, ClusterEndpoint target, DocumentTransform transform,
      String deadLetters) {
    this.options = options;
    this.selection = selection;
    this.target = target;
    this.transform = transform;
    this.deadLetterFile = deadLetters;
  }

  @Override
  public PDone expand(PBegin input) {
    PCollectionTuple snapshot = input.apply("ReadSnapshot", SnapshotIO.read()
        .from(RepositoryLocations.of(options.getRepo(), options)).withSnapshot(options.getSnapshot()).withSelection(selection)
        .withSliceSize(options.getSliceSize()).withChecksumVerification(options.getVerifyChecksums())
        .withFailuresReported());
    OpenSearchIO.Write write = OpenSearchIO.write().to(target)
        .withMaxBatchDocs(options.getBatchDocs()).withMaxBatchBytes(options.getBatchBytes())
        .withStatefulBatches(options.getStatefulBatches())
        .withTargetUnavailableTimeout(Durations.parse(options.getTargetUnavailableTimeout(), "--target-unavailable-timeout"));
    return PCollectionList.of(snapshot.get(SnapshotIO.UNREADABLE))
        .and(deliver(snapshot.get(SnapshotIO.LIVE_DOCUMENTS), transform, write))
        .apply("AllDeadLetters", Flatten.pCollections())
        .apply("ToJsonLines", MapElements.into(TypeDescriptors.strings()).via(FailedDocument::toJsonLine))
        .apply("DeadLetters", DeadLetterIO.append().to(deadLetterFile).withS3(RepositoryLocations.s3(options)));
  }

  /**
   * Transforms the documents and writes them with {@code write}; what comes out is every document that did not
   * arrive, with why: stored without a source, rejected by the transform, or refused by the target.
   */
  static PCollection<FailedDocument> deliver(PCollection<SourceDocument> documents, DocumentTransform transform,
      OpenSearchIO.Write write) {
    PCollectionTuple transformed = documents.apply("Transform",
        ParDo.of(new ToTargetDocumentsFn(transform))
            .withOutputTags(ToTargetDocumentsFn.DOCUMENTS, TupleTagList.of(ToTargetDocumentsFn.FAILURES)));
    PCollection<FailedDocument> writeFailures = transformed.get(ToTargetDocumentsFn.DOCUMENTS)
        .setCoder(TargetDocumentCoder.of())
        .apply("WriteToTarget", write);
    return PCollectionList.of(transformed.get(ToTargetDocumentsFn.FAILURES).setCoder(FailedDocument.coder()))
        .and(writeFailures)
        .apply("AllFailures", Flatten.pCollections());
  }
}
