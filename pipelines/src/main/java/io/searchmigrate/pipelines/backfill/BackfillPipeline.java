package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.pipelines.options.RepositoryLocations;
import io.searchmigrate.common.Durations;
import io.searchmigrate.common.Selection;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.pipelines.coders.SourceDocumentCoder;
import io.searchmigrate.pipelines.coders.TargetDocumentCoder;
import io.searchmigrate.pipelines.deadletters.DeadLetterIO;
import io.searchmigrate.pipelines.opensearch.FailedDocument;
import io.searchmigrate.pipelines.opensearch.OpenSearchIO;
import io.searchmigrate.pipelines.snapshot.SnapshotIO;
import io.searchmigrate.transforms.document.DocumentTransform;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The backfill as a Beam pipeline: snapshot → live documents → transform → OpenSearch bulk sink, with every
 * document that cannot be delivered, and every shard that cannot be read, appended to a dead-letter NDJSON file as
 * it happens (so a run that dies still tells what failed before).
 *
 * <p>With a previous snapshot (a delta), only documents that changed since are read and written, and documents gone
 * since are deleted from the target ({@link #deleteGone}).
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
  private final LedgerPlace ledger;

  /**
   * Where a run records its finished slices (a folder, or with {@code dir} null an index on the target), and of which
   * snapshot (by uuid) they are.
   */
  record LedgerPlace(String dir, ClusterEndpoint target, String snapshot, String snapshotUuid) implements java.io.Serializable {
    static LedgerPlace of(SliceLedger ledger, ClusterEndpoint target, String snapshot, String snapshotUuid) {
      return new LedgerPlace(ledger instanceof ProgressLedger files ? files.dir().toString() : null, target, snapshot,
          snapshotUuid);
    }

    SliceLedger open() {
      return dir != null ? ProgressLedger.at(Path.of(dir)) : TargetLedger.on(target, snapshot, snapshotUuid);
    }
  }

  BackfillPipeline(BackfillOptions options, Selection selection, ClusterEndpoint target, DocumentTransform transform,
      Path deadLetterFile) {
    this(options, selection, target, transform, deadLetterFile.toAbsolutePath().toString());
  }

  /** @param deadLetters a file or {@code s3://bucket/prefix} (reached as the options' --s3Region/--s3Endpoint say) */
  BackfillPipeline(BackfillOptions options, Selection selection, ClusterEndpoint target, DocumentTransform transform,
      String deadLetters) {
    this(options, selection, target, transform, deadLetters, null);
  }

  /**
   * With a ledger: each slice is delivered where it is read and recorded once all its documents arrived; slices the
   * ledger holds are not read ({@link LedgeredDelivery}).
   */
  BackfillPipeline(BackfillOptions options, Selection selection, ClusterEndpoint target, DocumentTransform transform,
      String deadLetters, LedgerPlace ledger) {
    this.ledger = ledger;
    this.options = options;
    this.selection = selection;
    this.target = target;
    this.transform = transform;
    this.deadLetterFile = deadLetters;
  }

  @Override
  public PDone expand(PBegin input) {
    OpenSearchIO.Write write = OpenSearchIO.write().to(target)
        .withMaxBatchDocs(options.getBatchDocs()).withMaxBatchBytes(options.getBatchBytes())
        .withStatefulBatches(options.getStatefulBatches())
        .withTargetUnavailableTimeout(Durations.parse(options.getTargetUnavailableTimeout(), "--target-unavailable-timeout"));
    SnapshotIO.Read read = SnapshotIO.read()
        .from(RepositoryLocations.of(options.getRepo(), options)).withSnapshot(options.getSnapshot()).withSelection(selection)
        .withPreviousSnapshot(options.getPreviousSnapshot())
        .withSliceSize(options.getSliceSize()).withChecksumVerification(options.getVerifyChecksums());
    if (ledger != null) {
      read = read.withSliceSink(new LedgeredDelivery(transform, write.inline(), ledger, options.getSnapshot(), target.url()));
    }
    PCollectionTuple snapshot = input.apply("ReadSnapshot", read.withFailuresReported());
    PCollectionList<FailedDocument> failures = PCollectionList.of(snapshot.get(SnapshotIO.UNREADABLE));
    if (ledger == null) {
      failures = failures.and(deliver(snapshot.get(SnapshotIO.LIVE_DOCUMENTS), transform, write));
    }
    if (options.getPreviousSnapshot() != null) {
      failures = failures.and(deleteGone(snapshot.get(SnapshotIO.LIVE_DOCUMENTS), snapshot.get(SnapshotIO.GONE_DOCUMENTS),
          transform, write));
    }
    return failures
        .apply("AllDeadLetters", Flatten.pCollections())
        .apply("ToJsonLines", MapElements.into(TypeDescriptors.strings()).via(FailedDocument::toJsonLine))
        .apply("DeadLetters", DeadLetterIO.append().to(deadLetterFile).withS3(RepositoryLocations.s3(options)));
  }

  /**
   * Gone documents come out of a grouping by identity, which the DirectRunner hands on one key a bundle: batched within
   * bundles, every delete would be a request of its own (a delta of 5 % of 100k documents took 3x a full backfill).
   * They are batched statefully over this many keys instead.
   */
  private static final int DELETE_REQUESTS = 2;

  /**
   * Deletes from the target the documents of a delta that are gone: live in the previous snapshot, no longer live where
   * they were, and not sent again under the same index, type and id (an updated document is sent, not deleted). The
   * transform says where each went on the target. What comes out is every delete that failed, with why.
   */
  static PCollection<FailedDocument> deleteGone(PCollection<SourceDocument> sent, PCollection<SourceDocument> gone,
      DocumentTransform transform, OpenSearchIO.Write write) {
    TupleTag<String> sentTag = new TupleTag<>() {};
    TupleTag<SourceDocument> goneTag = new TupleTag<>() {};
    PCollection<KV<Integer, String>> sentKeys = sent
        .apply("KeySent", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.strings()))
            .via(document -> KV.of(matchGroup(identity(document)), identity(document))))
        .setCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of()));
    PCollection<KV<Integer, SourceDocument>> goneKeyed = gone
        .apply("KeyGone", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(SourceDocument.class)))
            .via(document -> KV.of(matchGroup(identity(document)), document)))
        .setCoder(KvCoder.of(VarIntCoder.of(), SourceDocumentCoder.of()));
    PCollection<SourceDocument> deleted = KeyedPCollectionTuple.of(sentTag, sentKeys).and(goneTag, goneKeyed)
        .apply("MatchIds", CoGroupByKey.create())
        .apply("GoneForGood", ParDo.of(new GoneForGoodFn(sentTag, goneTag)))
        .setCoder(SourceDocumentCoder.of());
    PCollectionTuple transformed = deleted.apply("TransformGone",
        ParDo.of(new ToTargetDocumentsFn(transform))
            .withOutputTags(ToTargetDocumentsFn.DOCUMENTS, TupleTagList.of(ToTargetDocumentsFn.FAILURES)));
    PCollection<FailedDocument> deleteFailures = transformed.get(ToTargetDocumentsFn.DOCUMENTS)
        .setCoder(TargetDocumentCoder.of())
        .apply("DeleteFromTarget", write.withStatefulBatches(DELETE_REQUESTS).asDeletes());
    return PCollectionList.of(transformed.get(ToTargetDocumentsFn.FAILURES).setCoder(FailedDocument.coder()))
        .and(deleteFailures)
        .apply("AllDeleteFailures", Flatten.pCollections());
  }

  /** What names one document of a source index: a document keeps it across snapshots. */
  private static String identity(SourceDocument document) {
    return document.index() + '\u0000' + (document.type() == null ? "" : document.type()) + '\u0000' + document.id();
  }

  /**
   * Identities are matched in this many groups rather than one key each: the DirectRunner hands a grouping's output on
   * one key a bundle, and thousands of one-document bundles through every later step cost more than the delta's reads.
   * A group holds the identities sent again of 1/{@value} of the delta, as a set, while its gone documents stream past.
   */
  private static final int MATCH_GROUPS = 128;

  private static int matchGroup(String identity) {
    return Math.floorMod(identity.hashCode(), MATCH_GROUPS);
  }

  /** The gone documents whose identity was not sent again; those without a source never reached the target. */
  static final class GoneForGoodFn extends DoFn<KV<Integer, CoGbkResult>, SourceDocument> {
    private static final long serialVersionUID = 1L;
    private final TupleTag<String> sentTag;
    private final TupleTag<SourceDocument> goneTag;

    GoneForGoodFn(TupleTag<String> sentTag, TupleTag<SourceDocument> goneTag) {
      this.sentTag = sentTag;
      this.goneTag = goneTag;
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> element, OutputReceiver<SourceDocument> out) {
      Set<String> sentAgain = new HashSet<>();
      element.getValue().getAll(sentTag).forEach(sentAgain::add);
      for (SourceDocument document : element.getValue().getAll(goneTag)) {
        if (document.hasSource() && !sentAgain.contains(identity(document))) {
          out.output(document);
        }
      }
    }
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
