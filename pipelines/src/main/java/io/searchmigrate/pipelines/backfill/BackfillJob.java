package io.searchmigrate.pipelines.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.metadata.TargetWriter;
import io.searchmigrate.pipelines.BackfillCounters;
import io.searchmigrate.pipelines.BackfillProgress;
import io.searchmigrate.pipelines.snapshot.SnapshotIO;
import io.searchmigrate.snapshot.blob.Repositories;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotInfo;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import io.searchmigrate.transforms.document.DocumentTransforms;
import io.searchmigrate.transforms.metadata.MetadataTransformer;
import io.searchmigrate.transforms.metadata.TransformedItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Runs a backfill end to end: checks the target, resolves the snapshot and its indices, creates missing target
 * indices, runs the pipeline on the chosen runner, then refreshes the target and accounts for every document.
 *
 * <pre>{@code
 * BackfillSummary summary = new BackfillJob(config, System.err::println).run(progress -> printer.start(progress));
 * System.out.print(summary.render());
 * }</pre>
 */
public final class BackfillJob {
  private final BackfillConfig config;
  private final Consumer<String> log;

  public BackfillJob(BackfillConfig config, Consumer<String> log) {
    this.config = config;
    this.log = log;
  }

  /**
   * @param whileRunning called with the live progress just before the pipeline starts (for a progress printer)
   */
  public BackfillSummary run(Consumer<BackfillProgress> whileRunning) {
    ClusterClient target = ClusterClient.connect(config.target);
    ClusterVersion targetVersion = ClusterVersion.detect(target);
    log.accept("target " + config.target.url() + " is " + targetVersion);

    List<String> indices;
    int shards = 0;
    List<String> notes = new ArrayList<>();
    Set<String> multiTypeIndices = new TreeSet<>();
    List<String> targetIndices = new ArrayList<>();
    try (SnapshotRepository repo = SnapshotRepository.open(Repositories.open(config.repository))) {
      RepositoryData.SnapshotEntry snap = repo.snapshot(config.snapshot);
      SnapshotInfo info = repo.snapshotInfo(snap);
      if (!"SUCCESS".equals(info.state())) {
        throw new UserError("snapshot '" + config.snapshot + "' is " + info.state() + " (" + info.successfulShards() + " of "
            + info.totalShards() + " shards succeeded); take a complete snapshot first");
      }
      indices = SnapshotIO.selectIndices(repo.indices(snap), config.indices, config.snapshot);
      if (indices.isEmpty()) {
        throw new UserError("snapshot '" + config.snapshot + "' holds no indices to backfill (system indices are skipped "
            + "unless named with --indices); it holds " + repo.indices(snap));
      }
      log.accept("snapshot '" + config.snapshot + "' written by " + info.versionLabel()
          + "; backfilling " + indices.size() + " index(es): " + indices);
      MetadataTransformer transformer = new MetadataTransformer(info.version(), targetVersion, config.options);
      TargetWriter writer = new TargetWriter(target);
      for (String index : indices) {
        IndexMetadata meta = repo.indexMetadata(snap, index);
        shards += meta.numberOfShards();
        if (meta.mappingsByType().keySet().stream().filter(t -> !t.equals("_default_")).count() > 1) {
          multiTypeIndices.add(index);
        }
        for (TransformedItem item : transformer.index(meta)) {
          targetIndices.add(item.targetName());
          if (config.createIndices) {
            prepare(writer, item, notes);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    Path deadLetters = config.deadLetterFile.toAbsolutePath();
    try {
      Files.createDirectories(deadLetters.getParent());
    } catch (IOException e) {
      throw new UserError("cannot create the folder of the dead-letter file " + deadLetters + ": " + e.getMessage());
    }
    String runId = UUID.randomUUID().toString();
    BackfillProgress progress = BackfillProgress.register(runId, shards);
    long started = System.nanoTime();
    PipelineResult result;
    try {
      Pipeline pipeline = Pipeline.create(config.runner.options(config.parallelism));
      BackfillPipeline.build(pipeline, config, indices, DocumentTransforms.forTypes(config.options, multiTypeIndices), runId);
      whileRunning.accept(progress);
      result = pipeline.run();
      result.waitUntilFinish();
    } finally {
      BackfillProgress.unregister(runId);
    }
    long elapsed = (System.nanoTime() - started) / 1_000_000;

    List<String> rows = new ArrayList<>(indices);
    targetIndices.stream().filter(t -> !rows.contains(t)).forEach(rows::add);
    BackfillSummary summary = new BackfillSummary(config.snapshot, config.target.url() + " (" + targetVersion + ")",
        config.runner.id(), rows);
    for (MetricResult<Long> counter : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(BackfillCounters.NAMESPACE)).build()).getCounters()) {
      summary.add(counter.getName().getName(), counter.getAttempted());
    }
    notes.forEach(summary::note);
    countOnTarget(target, summary, targetIndices);
    summary.finish(elapsed, progress.bytesWritten(), progress.luceneDocsTotal(), deadLetters, lines(deadLetters));
    return summary;
  }

  /** Creates a missing target index from the snapshot's definition, transformed for the target. */
  private void prepare(TargetWriter writer, TransformedItem item, List<String> notes) {
    TargetWriter.Outcome outcome = writer.create(item);
    switch (outcome.status) {
      case CREATED:
        String applied = outcome.item.applied().isEmpty() ? "" : " (" + String.join(", ", outcome.item.applied()) + ")";
        log.accept("created index '" + item.targetName() + "' on the target from the snapshot's definition" + applied);
        outcome.item.notes().forEach(n -> notes.add(item.targetName() + ": " + n));
        outcome.item.warnings().forEach(w -> notes.add(item.targetName() + ": WARNING " + w));
        break;
      case EXISTS:
        log.accept("index '" + item.targetName() + "' already exists on the target; documents go into it as it is");
        break;
      default:
        throw new UserError("could not create index '" + item.targetName() + "' on the target: " + outcome.reason
            + ". Create it yourself (for example with ./migrate metadata migrate), then run the backfill again; "
            + "existing indices are used as they are");
    }
  }

  private void countOnTarget(ClusterClient target, BackfillSummary summary, List<String> indices) {
    String list = String.join(",", indices.stream().map(ClusterClient::segment).toList());
    ClusterResponse refresh = target.postJson("/" + list + "/_refresh", null);
    if (!refresh.isSuccess()) {
      log.accept("could not refresh the target indices: " + refresh.errorReason());
    }
    for (String index : indices) {
      ClusterResponse count = target.get("/" + ClusterClient.segment(index) + "/_count");
      if (count.isSuccess()) {
        JsonNode body = count.json();
        summary.index(index).targetCount = body.path("count").asLong(-1);
      }
    }
  }

  private static long lines(Path file) {
    if (!Files.exists(file)) {
      return 0;
    }
    try (Stream<String> lines = Files.lines(file)) {
      return lines.filter(l -> !l.isBlank()).count();
    } catch (IOException e) {
      return -1;
    }
  }
}
