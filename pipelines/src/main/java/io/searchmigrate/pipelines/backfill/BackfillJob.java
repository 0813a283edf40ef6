package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.pipelines.options.TargetClusterOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.ProgressLine;
import io.searchmigrate.pipelines.options.RepositoryLocations;
import io.searchmigrate.common.Durations;
import io.searchmigrate.common.Selection;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.metadata.TargetWriter;
import io.searchmigrate.pipelines.deadletters.DeadLetterOutput;
import io.searchmigrate.pipelines.runners.FlinkSession;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotInfo;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import io.searchmigrate.snapshot.s3.S3Uri;
import io.searchmigrate.transforms.document.DocumentTransforms;
import io.searchmigrate.transforms.metadata.FilteredSource;
import io.searchmigrate.transforms.metadata.MetadataTransformer;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import io.searchmigrate.transforms.metadata.TransformedItem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/**
 * Runs a backfill end to end: checks the target, resolves the snapshot and its indices, creates missing target
 * indices, runs the pipeline on the runner its options name (printing progress read from the pipeline's metrics),
 * then refreshes the target and accounts for every document.
 *
 * <pre>{@code
 * BackfillOptions options = RunnerPresets.parse(List.of("--repo=/data/repo", "--snapshot=snap-1",
 *     "--target=http://localhost:9200"), BackfillOptions.class);
 * BackfillSummary summary = new BackfillJob(options, System.err::println).run();
 * System.out.print(summary.render());
 * }</pre>
 *
 * <p>Also runnable on its own, as Beam pipelines are: {@code java -cp ... io.searchmigrate.pipelines.backfill.BackfillJob
 * --repo=/data/repo --snapshot=snap-1 --target=http://localhost:9200 --runner=FlinkRunner --parallelism=4}.
 */
public final class BackfillJob {
  /** {@code --state target}: the progress ledger is an index on the target ({@link TargetLedger}). */
  public static final String TARGET_STATE = "target";
  private final BackfillOptions options;
  private final Consumer<String> log;
  private final ProgressLine progress;

  /** A backfill whose messages and progress lines go to {@code log}, whole lines each. */
  public BackfillJob(BackfillOptions options, Consumer<String> log) {
    this(options, ProgressLine.toLines(log, "backfill"));
  }

  /** A backfill showing its progress on {@code progress} (in place on a terminal), its messages above it. */
  public BackfillJob(BackfillOptions options, ProgressLine progress) {
    this.options = options;
    this.progress = progress.every(Duration.ofSeconds(Math.max(1, options.getProgressEverySeconds())));
    this.log = this.progress::message;
  }

  /** Runs a backfill from Beam-style arguments; exit code 0 when every document arrived, 1 when not, 2 on bad input. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    try {
      BackfillSummary summary = new BackfillJob(RunnerPresets.parse(Arrays.asList(args), BackfillOptions.class),
          System.err::println).run();
      out.print(summary.render());
      out.flush();
      System.exit(summary.isSuccess() ? 0 : 1);
    } catch (UserError e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
  }

  public BackfillSummary run() {
    ClusterEndpoint targetEndpoint = TargetClusterOptions.endpoint(options);
    Durations.parse(options.getTargetUnavailableTimeout(), "--target-unavailable-timeout"); // a bad value fails now
    ClusterClient target = ClusterClient.connect(targetEndpoint);
    ClusterVersion targetVersion = ClusterVersion.detect(target);
    log.accept("target " + targetEndpoint.url() + " is " + targetVersion);
    MigrationOptions migration = MigrationOptions.defaults().withMultiType(options.getMultiType());
    Selection selection = Selection.ofIndices(options.getIndices() == null ? List.of() : options.getIndices());

    List<String> indices;
    List<String> notes = new ArrayList<>();
    Set<String> multiTypeIndices = new TreeSet<>();
    List<String> targetIndices = new ArrayList<>();
    Map<String, String> partialSource = new TreeMap<>();
    String snapshot = options.getSnapshot();
    String snapshotUuid;
    try (SnapshotRepository repo = SnapshotRepository.open(RepositoryLocations.of(options.getRepo(), options).open())) {
      RepositoryData.SnapshotEntry snap = repo.snapshot(snapshot);
      SnapshotInfo info = repo.snapshotInfo(snap);
      snapshotUuid = snap.uuid();
      if (!"SUCCESS".equals(info.state())) {
        throw new UserError("snapshot '" + snapshot + "' is " + info.state() + " (" + info.successfulShards() + " of "
            + info.totalShards() + " shards succeeded); take a complete snapshot first");
      }
      indices = repo.indices(snap, selection);
      if (options.getPreviousSnapshot() != null) {
        notes.addAll(checkPrevious(repo, snap, indices));
      }
      if (indices.isEmpty()) {
        throw new UserError("snapshot '" + snapshot + "' holds no indices to backfill (system indices are skipped "
            + "unless named with --indices); it holds " + repo.indices(snap));
      }
      log.accept("snapshot '" + snapshot + "' written by " + info.versionLabel() + "; backfilling " + indices.size()
          + " index(es): " + indices);
      MetadataTransformer transformer = new MetadataTransformer(info.version(), targetVersion, migration);
      TargetWriter writer = new TargetWriter(target);
      List<IndexMetadata> metadata = new ArrayList<>();
      for (String index : indices) {
        IndexMetadata meta = repo.indexMetadata(snap, index);
        metadata.add(meta);
        String filter = FilteredSource.of(meta);
        if (filter != null) {
          partialSource.put(index, filter);
        }
      }
      if (!partialSource.isEmpty() && !options.getAcceptPartialSource()) {
        throw new UserError("these indices keep only part of each document's _source, so a snapshot cannot give their "
            + "documents back whole: " + describe(partialSource) + ". Leave them out with --indices, or copy what the "
            + "snapshot holds with --accept-partial-source (the summary marks them)");
      }
      for (IndexMetadata meta : metadata) {
        String index = meta.name();
        if (meta.mappingsByType().keySet().stream().filter(t -> !t.equals("_default_")).count() > 1) {
          multiTypeIndices.add(index);
        }
        for (TransformedItem item : transformer.index(meta)) {
          targetIndices.add(item.targetName());
          if (options.getCreateIndices()) {
            prepare(writer, item, notes);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    DeadLetterOutput deadLetters = DeadLetterOutput.prepare(options.getDeadLetter(), "dead-letter-" + options.getSnapshot(),
        RepositoryLocations.s3(options), log);
    SliceLedger ledger = ledger(targetEndpoint, snapshotUuid, target, targetIndices);
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply("Backfill", new BackfillPipeline(options, selection, targetEndpoint,
        DocumentTransforms.forTypes(migration, multiTypeIndices), deadLetters.location(),
        ledger == null ? null : BackfillPipeline.LedgerPlace.of(ledger, targetEndpoint, snapshot, snapshotUuid)));
    RunningPipeline running = new RunningPipeline(pipeline, options, log, progress).withLedger(ledger);
    BackfillCounts counts;
    boolean onSessionCluster = options.getRunner().getSimpleName().equals("FlinkRunner")
        && FlinkSession.isRemote(options.as(FlinkPipelineOptions.class).getFlinkMaster());
    Thread interrupted = ledger == null ? null : new Thread(() -> log.accept(onSessionCluster
        ? "stopped following: the job goes on on the Flink cluster (./migrate backfill stop stops it); its finished "
            + "slices are recorded in " + ledger.location() + ", where the same command resumes after them"
        : "stopped: " + ledger.stopRecording() + " finished slice(s) are recorded in " + ledger.location()
            + "; the same command resumes after them"));
    if (interrupted != null) {
      Runtime.getRuntime().addShutdownHook(interrupted);
    }
    try {
      counts = running.run(options.getProgressEverySeconds());
    } catch (RuntimeException e) {
      long gathered = deadLetters.lines();
      if (gathered > 0) {
        log.accept("the run stopped; the " + gathered + " dead letter(s) gathered before it are in " + deadLetters);
      }
      throw e;
    }

    if (interrupted != null) {
      Runtime.getRuntime().removeShutdownHook(interrupted);
    }
    if (running.detachedJob().isPresent()) {
      return BackfillSummary.detached(snapshot, targetEndpoint.url() + " (" + targetVersion + ")", running.runnerName(),
          running.detachedJob().get());
    }
    List<String> rows = new ArrayList<>(indices);
    targetIndices.stream().filter(t -> !rows.contains(t)).forEach(rows::add);
    BackfillSummary summary = new BackfillSummary(snapshot, targetEndpoint.url() + " (" + targetVersion + ")",
        running.runnerName(), rows, counts);
    notes.forEach(summary::note);
    if (migration.multiType() == MigrationOptions.MultiType.MERGE) {
      multiTypeIndices.forEach(summary::mergedTypes);
    }
    if (options.getPreviousSnapshot() != null) {
      summary.since(options.getPreviousSnapshot());
    }
    partialSource.forEach(summary::partialSource);
    if (ledger != null) {
      summary.ledger(ledger.location());
    }
    if (counts.slicesSkipped() > 0) {
      summary.note("resumed: " + counts.slicesSkipped() + " of " + counts.slicesPlanned() + " slices were done by an "
          + "earlier run (" + ledger.location() + ") and not read again");
    }
    countOnTarget(target, summary, targetIndices);
    long deadLetterLines = deadLetters.lines();
    deadLetters.removeIfEmpty(); // a run where everything arrived leaves no empty file behind
    summary.finish(running.elapsedMillis(), deadLetterLines == 0 ? null : deadLetters.toString(), deadLetterLines);
    if (ledger != null && counts.slicesPlanned() > 0) {
      ledger.recordTotal(counts.slicesPlanned(), summary.isSuccess() && deadLetterLines == 0);
    }
    return summary;
  }

  /**
   * The progress ledger of this run (--state, else a folder of --stateRoot named by the snapshot, with a hash of its
   * repository, uuid and the target; --state target: an index on the target), cleared with --restart; none for a delta
   * (it reads whole shards, not slices) or when no state folder is given.
   */
  private SliceLedger ledger(ClusterEndpoint target, String snapshotUuid, ClusterClient client, List<String> targetIndices) {
    if (options.getPreviousSnapshot() != null) {
      return null;
    }
    Path dir;
    if (TARGET_STATE.equals(options.getState())) {
      dir = null;
    } else if (options.getState() != null) {
      dir = Path.of(options.getState());
    } else if (options.getStateRoot() != null) {
      // keyed by what makes a backfill this one: a snapshot taken again under the same name (a new uuid), in another
      // repository or into another target gets a ledger of its own and never skips slices it did not write
      dir = Path.of(options.getStateRoot()).resolve(options.getSnapshot() + "-"
          + shortHash(repositoryKey(options.getRepo()) + "\n" + snapshotUuid + "\n" + target.url()));
    } else {
      return null;
    }
    SliceLedger ledger = dir == null ? TargetLedger.on(target, options.getSnapshot(), snapshotUuid) : ProgressLedger.at(dir);
    if (options.getRestart()) {
      if (ledger.exists()) {
        log.accept("--restart: clearing the progress ledger in " + ledger.location());
      }
      ledger.clear();
      return ledger;
    }
    if (ledger instanceof ProgressLedger files && options.getState() != null) {
      files.checkBelongsTo(snapshotUuid, target.url());
    } else if (ledger.otherRun(snapshotUuid, target.url()) != null) {
      log.accept("the progress ledger in " + ledger.location() + " is " + ledger.otherRun(snapshotUuid, target.url())
          + " (the snapshot was taken again under its name): starting over");
      ledger.clear();
    }
    if (ledger.complete()) {
      log.accept("the last run of this backfill delivered every document: starting over (" + ledger.location() + ")");
      ledger.clear();
    }
    long recorded = ledger.documents();
    long held = recorded == 0 ? 0 : documentsOn(client, targetIndices);
    if (held < recorded) {
      log.accept("the target holds " + held + " document(s) in " + targetIndices + ", fewer than the " + recorded
          + " the progress ledger in " + ledger.location() + " records as written (were indices deleted?): starting over");
      ledger.clear();
    }
    int done = ledger.finished().size();
    if (done > 0) {
      log.accept("resuming: " + done + " slice(s) already done (" + ledger.location() + "); --restart reads everything again");
    }
    return ledger;
  }

  /** Documents the target indices hold now (0 for an index that is not there). */
  private static long documentsOn(ClusterClient target, List<String> indices) {
    target.postJson("/" + String.join(",", indices.stream().map(ClusterClient::segment).toList())
        + "/_refresh?ignore_unavailable=true", null); // what an interrupted run wrote counts too
    long total = 0;
    for (String index : indices) {
      ClusterResponse count = target.get("/" + ClusterClient.segment(index) + "/_count");
      if (count.isSuccess()) {
        total += count.json().path("count").asLong(0);
      }
    }
    return total;
  }

  /** The repository as one string whichever folder the command was run from. */
  private static String repositoryKey(String repo) {
    return S3Uri.isS3(repo) ? repo : Path.of(repo).toAbsolutePath().normalize().toString();
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A delta needs an earlier, complete snapshot of the same repository whose indices kept their number of shards (a
   * document stays in its shard then). Returns notes for indices the earlier snapshot held that are no longer selected.
   */
  private List<String> checkPrevious(SnapshotRepository repo, RepositoryData.SnapshotEntry snap, List<String> indices) {
    String previous = options.getPreviousSnapshot();
    if (previous.equals(options.getSnapshot())) {
      throw new UserError("--previous-snapshot names the snapshot itself ('" + previous + "'); give the earlier snapshot "
          + "the target was filled from");
    }
    if (repo.data().snapshots().stream().noneMatch(s -> s.name().equals(previous))) {
      throw new UserError("--previous-snapshot '" + previous + "' is not in the repository; it holds "
          + repo.data().snapshots().stream().map(RepositoryData.SnapshotEntry::name).sorted().toList()
          + ". A delta compares two snapshots of the same repository");
    }
    RepositoryData.SnapshotEntry before = repo.snapshot(previous);
    SnapshotInfo info = repo.snapshotInfo(before);
    if (!"SUCCESS".equals(info.state())) {
      throw new UserError("--previous-snapshot '" + previous + "' is " + info.state() + "; a delta needs a complete snapshot");
    }
    List<String> earlier = repo.indices(before);
    for (String index : indices) {
      if (earlier.contains(index)) {
        int now = repo.indexMetadata(snap, index).numberOfShards();
        int then = repo.indexMetadata(before, index).numberOfShards();
        if (now != then) {
          throw new UserError("index '" + index + "' has " + now + " shard(s) in snapshot '" + options.getSnapshot() + "' but "
              + then + " in '" + previous + "' (split, shrunk or recreated): a delta compares shard by shard. Back it up "
              + "in full instead: leave --previous-snapshot out, with --indices " + index);
        }
      }
    }
    List<String> notes = new ArrayList<>();
    List<String> dropped = repo.indices(before, Selection.ofIndices(options.getIndices() == null ? List.of() : options.getIndices()))
        .stream().filter(index -> !indices.contains(index)).toList();
    if (!dropped.isEmpty()) {
      notes.add("index(es) " + dropped + " are in snapshot '" + previous + "' but not in '" + options.getSnapshot()
          + "': left as they are on the target (delete them there if they were deleted on purpose)");
    }
    log.accept("delta since snapshot '" + previous + "': only documents that changed are read; documents gone are deleted");
    return notes;
  }

  private static String describe(Map<String, String> partialSource) {
    List<String> parts = new ArrayList<>();
    partialSource.forEach((index, filter) -> parts.add("'" + index + "' (_source " + filter + ")"));
    return String.join(", ", parts);
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
        summary.counts().index(index).targetCount = body.path("count").asLong(-1);
      }
    }
  }

}
