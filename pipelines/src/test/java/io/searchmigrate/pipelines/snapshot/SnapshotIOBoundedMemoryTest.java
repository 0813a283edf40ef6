package io.searchmigrate.pipelines.snapshot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.snapshot.creation.SnapshotCreator;
import io.searchmigrate.testkit.TestClusters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a read holds in memory does not grow with the slice's size: on the DirectRunner, which keeps a step's whole
 * output until the step's call returns, the documents of one big slice reach the next step in bundles bounded in
 * documents and in bytes. A real Elasticsearch 7.10.2 snapshot of one shard of 3,000 documents of about 12 KB, read as
 * a single slice: the bytes, not the count, bound its bundles (about 2,200 documents each).
 */
class SnapshotIOBoundedMemoryTest {
  private static final int DOCUMENTS = 3_000;
  /** The largest bundle of documents the step after the read has seen, over all runs of this class. */
  static final AtomicInteger LARGEST_BUNDLE = new AtomicInteger();
  /** The largest bundle's source bytes. */
  static final AtomicLong LARGEST_BUNDLE_BYTES = new AtomicLong();
  /** The largest source read. */
  static final AtomicInteger LARGEST_SOURCE = new AtomicInteger();
  private static Path repository;

  @BeforeAll
  static void snapshotOneBigShard() {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    ClusterClient client = ClusterClient.connect(source.endpoint());
    String index = "bounded_" + UUID.randomUUID().toString().substring(0, 8);
    client.putJson("/" + index, Json.parse("{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}"))
        .requireSuccess();
    repository = source.pathRepo().resolve(index);
    SnapshotCreator snapshots = new SnapshotCreator(client, index);
    snapshots.registerFilesystemRepository(repository.toString());
    snapshots.create("empty", List.of(index)); // the index before its documents: a delta since it holds them all
    snapshots.waitFor("empty", Duration.ofMillis(200), progress -> { });
    StringBuilder bulk = new StringBuilder();
    String text = "lorem ipsum ".repeat(1_000);
    for (int i = 0; i < DOCUMENTS; i++) {
      bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"d").append(i).append("\"}}\n")
          .append(Json.toString(Json.object().put("n", i).put("text", text))).append('\n');
    }
    client.send("POST", "/_bulk?refresh=true", bulk.toString().getBytes(StandardCharsets.UTF_8), ClusterClient.NDJSON,
        Duration.ofMinutes(2)).requireSuccess();
    snapshots.create("snap", List.of(index));
    snapshots.waitFor("snap", Duration.ofMillis(200), progress -> { });
    client.delete("/" + index);
  }

  /** Counts the documents of each bundle; keeps the largest count. */
  static final class BundleSizeFn extends DoFn<SourceDocument, String> {
    private static final long serialVersionUID = 1L;
    private transient int inBundle;
    private transient long bytesInBundle;

    @StartBundle
    public void start() {
      inBundle = 0;
      bytesInBundle = 0;
    }

    @ProcessElement
    public void process(@Element SourceDocument document, OutputReceiver<String> out) {
      inBundle++;
      bytesInBundle += document.source().length;
      LARGEST_SOURCE.accumulateAndGet(document.source().length, Math::max);
      out.output(document.id());
    }

    @FinishBundle
    public void finish() {
      LARGEST_BUNDLE.accumulateAndGet(inBundle, Math::max);
      LARGEST_BUNDLE_BYTES.accumulateAndGet(bytesInBundle, Math::max);
    }
  }

  private static void readsEveryDocumentInSmallBundles(int sliceSize) {
    readsEveryDocumentInSmallBundles(sliceSize, null);
  }

  private static void readsEveryDocumentInSmallBundles(int sliceSize, String previousSnapshot) {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setTargetParallelism(2);
    Pipeline pipeline = Pipeline.create(options);
    LARGEST_BUNDLE.set(0);
    LARGEST_BUNDLE_BYTES.set(0);
    SnapshotIO.Read read = SnapshotIO.read().from(repository.toString()).withSnapshot("snap").withSliceSize(sliceSize);
    PCollection<SourceDocument> documents;
    if (previousSnapshot == null) {
      documents = pipeline.apply(read);
    } else {
      PCollectionTuple delta = pipeline.apply(read.withPreviousSnapshot(previousSnapshot).withFailuresReported());
      PAssert.that(delta.get(SnapshotIO.GONE_DOCUMENTS)).empty();
      PAssert.that(delta.get(SnapshotIO.UNREADABLE)).empty();
      documents = delta.get(SnapshotIO.LIVE_DOCUMENTS);
    }
    PCollection<String> ids = documents.apply(ParDo.of(new BundleSizeFn()));
    Set<String> expected = IntStream.range(0, DOCUMENTS).mapToObj(i -> "d" + i).collect(Collectors.toCollection(TreeSet::new));
    PAssert.that(ids).containsInAnyOrder(expected);
    pipeline.run().waitUntilFinish();
    assertTrue(LARGEST_BUNDLE.get() > 0, "the documents went through the step");
    // before the read was splittable, a bundle held a whole slice: 3,000 documents here, 20,000 by default; now a
    // DirectRunner turn of 100 outputs, each of at most CHUNK_BYTES and one source more (and at most CHUNK documents,
    // a bound these large documents never reach: ReadSliceChunksTest checks it)
    String bundle = "a bundle of " + LARGEST_BUNDLE.get() + " documents (" + LARGEST_BUNDLE_BYTES.get() + " bytes) after a read of "
        + DOCUMENTS + " in slices of " + sliceSize;
    assertTrue(LARGEST_BUNDLE.get() < DOCUMENTS, bundle);
    assertTrue(LARGEST_BUNDLE_BYTES.get() <= 100L * (ReadSliceFn.CHUNK_BYTES + LARGEST_SOURCE.get()), bundle);
  }

  /** A delta is read in slices naming their documents, so a big delta reaches the next step in small bundles too. */
  @Test
  void aDeltaOfTheWholeShardReachesTheNextStepInSmallBundles() {
    readsEveryDocumentInSmallBundles(DOCUMENTS, "empty");
  }

  @Test
  void oneSliceOfTheWholeShardReachesTheNextStepInSmallBundles() {
    readsEveryDocumentInSmallBundles(20_000);
  }

  @Test
  void moreSlicesThanAreReadAtOnceAreAllRead() {
    // 120 slices: most wait for a place (ReadSliceFn.DIRECT_RUNNER_SLICES), then are read, each exactly once
    readsEveryDocumentInSmallBundles(25);
  }
}
