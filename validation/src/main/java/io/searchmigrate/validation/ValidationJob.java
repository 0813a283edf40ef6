package io.searchmigrate.validation;

import io.searchmigrate.pipelines.options.TargetClusterOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.Durations;
import io.searchmigrate.common.OwnerOnlyFiles;
import io.searchmigrate.common.ProgressLine;
import io.searchmigrate.common.Selection;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.pipelines.deadletters.DeadLetterIO;
import io.searchmigrate.pipelines.opensearch.OpenSearchIO;
import io.searchmigrate.pipelines.opensearch.OpenSearchRead;
import io.searchmigrate.pipelines.snapshot.SnapshotIO;
import io.searchmigrate.pipelines.options.RepositoryLocations;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotInfo;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import io.searchmigrate.transforms.document.DocumentTransform;
import io.searchmigrate.transforms.document.DocumentTransforms;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import io.searchmigrate.pipelines.metrics.IndexCounters;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Runs one document comparison end to end: resolves both sides and the indices, runs the comparison pipeline on the
 * runner its options name, reads its findings back, optionally takes a second look at what differed ({@code
 * --settle}), and returns the {@link ValidationReport}.
 *
 * <pre>{@code
 * ValidateOptions options = RunnerPresets.parse(List.of("--repo=/data/repo", "--snapshot=snap-1",
 *     "--target=http://localhost:9200"), ValidateOptions.class);
 * ValidationReport report = new ValidationJob(options, System.err::println).run();
 * }</pre>
 *
 * <p>The source side is the snapshot when {@code --repo} is given ({@code validate backfill}), else the live
 * {@code --source} cluster ({@code validate clusters}). Source documents are mapped as the migration mapped them
 * (the same document transform), then both sides are keyed by (target index, {@code _id}).
 */
public final class ValidationJob {
  private final ValidateOptions options;
  private final Consumer<String> log;
  private final ProgressLine progress;

  /** A validation whose messages and progress lines go to {@code log}, whole lines each. */
  public ValidationJob(ValidateOptions options, Consumer<String> log) {
    this(options, ProgressLine.toLines(log, "validate"));
  }

  /** A validation showing its progress on {@code progress} (in place on a terminal), its messages above it. */
  public ValidationJob(ValidateOptions options, ProgressLine progress) {
    this.options = options;
    this.progress = progress.every(Duration.ofSeconds(10));
    this.log = this.progress::message;
  }

  private boolean fromSnapshot() {
    return options.getRepo() != null;
  }

  public ValidationReport run() {
    Instant started = Instant.now();
    long startNanos = System.nanoTime();
    if (fromSnapshot() == (options.getSource() != null)) {
      throw new UserError("compare against a snapshot (--repo and --snapshot) or a live source (--source), one of them");
    }
    if (options.getTarget() == null) {
      throw new UserError("--target is required: the cluster to validate");
    }
    Duration settle = options.getSettle() == null || options.getSettle().isBlank() ? null
        : Durations.parse(options.getSettle(), "--settle");
    if (settle != null && fromSnapshot()) {
      throw new UserError("--settle needs a live source (validate clusters): a snapshot does not change, so there is "
          + "nothing to wait for");
    }
    MigrationOptions migration = MigrationOptions.defaults().withMultiType(options.getMultiType());
    Selection selection = Selection.ofIndices(options.getIndices() == null ? List.of() : options.getIndices());
    ClusterEndpoint targetEndpoint = TargetClusterOptions.endpoint(options);
    ClusterClient target = ClusterClient.connect(targetEndpoint);
    ClusterVersion targetVersion = ClusterVersion.detect(target);

    // source index -> its mapping types (for split naming), resolved before anything runs so bad input fails fast
    Map<String, Set<String>> typesBySourceIndex = new TreeMap<>();
    List<String> closedOnSource = List.of();
    List<String> refreshOffOnSource = List.of();
    String sourceDescription;
    ClusterEndpoint sourceEndpoint = null;
    if (fromSnapshot()) {
      sourceDescription = describeSnapshot(selection, typesBySourceIndex);
    } else {
      sourceEndpoint = ClusterEndpoint.describe("source", options.getSource(), options.getSourceUser(),
          options.getSourcePasswordEnv(), options.getSourcePasswordFile(), options.getSourceCaCert(), options.getSourceInsecure())
          .withAuth("source", options.getSourceAuth(), options.getSourceRegion(), options.getSourceService());
      ClusterClient source = ClusterClient.connect(sourceEndpoint);
      ClusterVersion sourceVersion = ClusterVersion.detect(source);
      for (String index : OpenSearchRead.indices(source, selection)) {
        typesBySourceIndex.put(index, liveTypes(source, sourceVersion, index));
      }
      try { // notes only: a source that will not tell (a user without the right) is compared without them
        closedOnSource = OpenSearchRead.closedIndices(source, selection);
        refreshOffOnSource = refreshDisabled(source, typesBySourceIndex.keySet());
      } catch (RuntimeException cannotTell) {
        log.accept("could not check the source for closed indices or refresh turned off: " + cannotTell.getMessage());
      }
      sourceDescription = sourceEndpoint.url() + " (" + sourceVersion + ")";
    }
    if (typesBySourceIndex.isEmpty()) {
      throw new UserError("the source holds no index to compare (system indices are skipped unless named with --indices)");
    }
    Set<String> multiType = new TreeSet<>();
    typesBySourceIndex.forEach((index, types) -> {
      if (types.size() > 1) {
        multiType.add(index);
      }
    });
    DocumentTransform transform = DocumentTransforms.forTypes(migration, multiType);
    Map<String, String> sourceIndexOf = new TreeMap<>(); // target index -> the source index its documents come from
    typesBySourceIndex.forEach((index, types) -> {
      if (multiType.contains(index) && migration.multiType() == MigrationOptions.MultiType.SPLIT) {
        types.forEach(type -> sourceIndexOf.put(migration.splitIndexName(index, type), index));
      } else {
        sourceIndexOf.put(index, index);
      }
    });
    Set<String> expected = new TreeSet<>(sourceIndexOf.keySet());
    Set<String> onTarget = OpenSearchRead.existingIndices(target);
    List<String> targetIndices = expected.stream().filter(onTarget::contains).toList();
    String targetDescription = targetEndpoint.url() + " (" + targetVersion + ")";
    ValidationReport report = new ValidationReport(fromSnapshot() ? "backfill" : "clusters", sourceDescription,
        targetDescription, started);
    expected.forEach(report::expectIndex);
    if (!closedOnSource.isEmpty()) {
      String closed = "closed on the source, so not compared: " + String.join(", ", closedOnSource)
          + " (a closed index cannot be read; open it to compare it)";
      report.note(closed);
      log.accept(closed);
    }
    if (!refreshOffOnSource.isEmpty()) {
      String stale = "refresh is off on the source (index.refresh_interval -1) for " + String.join(", ", refreshOffOnSource)
          + ": what was written there since its last refresh cannot be read, so it is not compared; refresh them first (POST /"
          + String.join(",", refreshOffOnSource) + "/_refresh)";
      report.note(stale);
      log.accept(stale);
    }
    expected.stream().filter(i -> !onTarget.contains(i))
        .forEach(i -> report.note("index '" + i + "' does not exist on the target: its documents are all missing"));
    log.accept("comparing " + typesBySourceIndex.size() + " source index(es) " + typesBySourceIndex.keySet() + " with "
        + targetIndices.size() + " target index(es) on " + targetDescription);

    long documents = count(target, targetIndices);
    if (!fromSnapshot()) {
      documents = Math.max(documents, count(ClusterClient.connect(sourceEndpoint), new ArrayList<>(typesBySourceIndex.keySet())));
    }
    int buckets = summedBuckets(documents);
    Path work = workDirectory();
    try {
      // first look: each side summed per bucket of ids as it is read; where both sides match, nothing is joined
      Path verdictsFile = work.resolve("buckets.ndjson");
      Pipeline sums = Pipeline.create(options);
      readSides(sums, typesBySourceIndex.keySet(), targetIndices, sourceEndpoint, targetEndpoint)
          .apply("CompareBuckets", CompareBuckets.over(buckets).withSourceTransform(transform))
          .apply("VerdictLines", MapElements.into(TypeDescriptors.strings()).via(BucketVerdict::toJsonLine))
          .apply("Verdicts", DeadLetterIO.append().to(verdictsFile.toString()));
      // documents to read on both sides, where counting them is cheap (a live source; a snapshot is read to count)
      long total = fromSnapshot() ? 0 : count(ClusterClient.connect(sourceEndpoint), typesBySourceIndex.keySet());
      runShowingProgress(sums, total > 0 ? total + count(target, targetIndices) : 0);
      Map<String, int[]> differing = new TreeMap<>();
      long toJoin = 0;
      for (BucketVerdict verdict : readVerdicts(verdictsFile)) {
        report.count(verdict.index(), Category.EQUAL, verdict.equal());
        if (verdict.differingBuckets().length > 0) {
          differing.put(verdict.index(), verdict.differingBuckets());
          toJoin += verdict.differingDocuments();
        }
      }
      List<Comparison> differences = List.of();
      if (!differing.isEmpty()) {
        int bucketCount = differing.values().stream().mapToInt(b -> b.length).sum();
        log.accept(String.format(java.util.Locale.ROOT, "%,d of %,d bucket(s) of %s do not sum alike (%,d document(s) "
            + "in them, both sides together): reading those indices again to compare these buckets document by document",
            bucketCount, buckets * differing.size(), differing.keySet(), toJoin));
        Set<String> sourceIndices = new TreeSet<>();
        differing.keySet().forEach(index -> sourceIndices.add(sourceIndexOf.getOrDefault(index, index)));
        List<String> targetsAgain = targetIndices.stream().filter(differing::containsKey).toList();
        Path findings = work.resolve("findings.ndjson");
        Pipeline join = Pipeline.create(options);
        PCollectionTuple again = readSides(join, sourceIndices, targetsAgain, sourceEndpoint, targetEndpoint);
        PCollectionTuple
            .of(CompareDocuments.SOURCE, again.get(CompareBuckets.SOURCE).apply("MapLikeTheMigration",
                    ParDo.of(new ToComparedFn(transform).onlyBuckets(buckets, differing).digestOnly()))
                .setCoder(ComparisonCoders.document()))
            .and(CompareDocuments.TARGET, again.get(CompareBuckets.TARGET).apply("AsFound",
                    ParDo.of(new ToComparedFn(null).onlyBuckets(buckets, differing).digestOnly()))
                .setCoder(ComparisonCoders.document()))
            .apply("Compare", new CompareDocuments().withBuckets(joinBuckets(toJoin / 2)))
            .apply("ToReportLines", new CompareDocuments.ToReportLines())
            .apply("Findings", DeadLetterIO.append().to(findings.toString()));
        runShowingProgress(join, 0);
        differences = readFindings(findings, report);
      }
      if (!differences.isEmpty()) {
        // the join compared digests only: the sources shown for the differences are read again, for them alone
        ClusterEndpoint liveSource = sourceEndpoint;
        DifferenceSources.Reader sourceReader = fromSnapshot()
            ? DifferenceSources.snapshot(indices -> SnapshotIO.read()
                    .from(RepositoryLocations.of(options.getRepo(), options)).withSnapshot(options.getSnapshot())
                    .withIndices(indices).withSliceSize(options.getSliceSize()),
                () -> Pipeline.create(options), transform, work)
            : DifferenceSources.live(ClusterClient.connect(liveSource),
                OpenSearchRead.hasTypes(ClusterVersion.detect(ClusterClient.connect(liveSource))), transform);
        differences = DifferenceSources.of(sourceReader, DifferenceSources.live(target, false, null)).fill(differences);
      }
      differences.forEach(report::difference);
    } finally {
      deleteTree(work);
    }
    if (settle != null && !report.differences().isEmpty()) {
      settle(report, settle, ClusterClient.connect(sourceEndpoint), target, transform);
    }
    report.finish((System.nanoTime() - startNanos) / 1_000_000);
    return report;
  }

  /**
   * Runs the pipeline to its end. Its progress line counts the documents both sides have read (from the readers' Beam
   * counters) of {@code total} (0: not known): while it runs on the DirectRunner, and at the end on Flink, whose
   * batch jobs publish counters only as their tasks end.
   */
  private void runShowingProgress(Pipeline pipeline, long total) {
    boolean direct = options.getRunner() == DirectRunner.class;
    if (direct) {
      options.as(DirectOptions.class).setBlockOnRun(false);
    }
    PipelineResult result = pipeline.run();
    while (true) {
      // waitUntilFinish, never getState first: it is what rethrows the pipeline's failure
      PipelineResult.State state = result.waitUntilFinish(org.joda.time.Duration.standardSeconds(1));
      boolean finished = state != null && state.isTerminal();
      if (direct || finished) { // Flink's counters are there once its tasks end
        try {
          long source = readSoFar(result, "Read" + (fromSnapshot() ? "Snapshot" : "Source"));
          long target = readSoFar(result, "ReadTarget");
          String details = String.format(java.util.Locale.ROOT, "source %,d, target %,d", source, target);
          if (finished) {
            progress.finish(source + target, total, details);
          } else {
            progress.update(source + target, total, details);
          }
        } catch (RuntimeException e) {
          // a progress line is not worth failing the run for
        }
      }
      if (finished) {
        if (state != PipelineResult.State.DONE) {
          throw new IllegalStateException("the comparison pipeline ended " + state);
        }
        return;
      }
    }
  }

  /**
   * Both sides' documents ({@link CompareBuckets#SOURCE} and {@link CompareBuckets#TARGET}): the snapshot or the live
   * source's indices, and the target's (none: an empty side).
   */
  private PCollectionTuple readSides(Pipeline pipeline, Set<String> sourceIndices, List<String> targetIndices,
      ClusterEndpoint sourceEndpoint, ClusterEndpoint targetEndpoint) {
    PCollection<SourceDocument> sourceDocs = fromSnapshot()
        ? pipeline.apply("ReadSnapshot", SnapshotIO.read().from(RepositoryLocations.of(options.getRepo(), options))
            .withSnapshot(options.getSnapshot()).withIndices(new ArrayList<>(sourceIndices))
            .withSliceSize(options.getSliceSize()))
        : pipeline.apply("ReadSource", OpenSearchIO.read().from(sourceEndpoint)
            .withSelection(Selection.ofIndices(new ArrayList<>(sourceIndices))).withSlicesPerIndex(options.getSlicesPerIndex()));
    PCollection<SourceDocument> targetDocs = targetIndices.isEmpty()
        ? pipeline.apply("NoTargetIndex", Create.empty(io.searchmigrate.pipelines.coders.SourceDocumentCoder.of()))
        : pipeline.apply("ReadTarget", OpenSearchIO.read().from(targetEndpoint)
            .withSelection(Selection.ofIndices(targetIndices)).withSlicesPerIndex(options.getSlicesPerIndex()));
    return PCollectionTuple.of(CompareBuckets.SOURCE, sourceDocs).and(CompareBuckets.TARGET, targetDocs);
  }

  /**
   * How many buckets of ids each index is summed in: about {@value #DOCUMENTS_PER_SUMMED_BUCKET} documents each, so
   * that a difference sends few documents to the join; the sums of a bundle stay a few hundred kilobytes at most.
   */
  static int summedBuckets(long documents) {
    return (int) Math.max(MIN_BUCKETS, Math.min(MAX_SUMMED_BUCKETS, documents / DOCUMENTS_PER_SUMMED_BUCKET));
  }

  private static final int DOCUMENTS_PER_SUMMED_BUCKET = 32;
  private static final int MAX_SUMMED_BUCKETS = 16_384;

  /** The verdict of each index summed ({@link CompareBuckets}); a line repeated by a retried bundle counts once. */
  private static List<BucketVerdict> readVerdicts(Path verdicts) {
    if (!Files.exists(verdicts)) {
      return List.of();
    }
    Map<String, BucketVerdict> byIndex = new TreeMap<>();
    try (Stream<String> lines = Files.lines(verdicts)) {
      lines.filter(l -> !l.isBlank()).map(Json::parse).map(BucketVerdict::fromJson).forEach(v -> byIndex.put(v.index(), v));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ArrayList<>(byIndex.values());
  }

  /**
   * How many groups the comparison joins in: about {@value #DOCUMENTS_PER_BUCKET} documents a side each (one bucket's
   * target side is held in memory), at least {@value #MIN_BUCKETS} so that workers share the joining.
   */
  static int joinBuckets(long documents) {
    return (int) Math.max(MIN_BUCKETS, Math.min(Integer.MAX_VALUE, documents / DOCUMENTS_PER_BUCKET));
  }

  private static final int DOCUMENTS_PER_BUCKET = 500;
  private static final int MIN_BUCKETS = 64;

  /** Documents in these indices by {@code _count}, or 0 when a count fails (the line then has no percent). */
  private static long count(ClusterClient client, java.util.Collection<String> indices) {
    long total = 0;
    for (String index : indices) {
      ClusterResponse response = client.get("/" + ClusterClient.segment(index) + "/_count");
      if (response.status() != 200) {
        return 0;
      }
      total += response.json().path("count").asLong();
    }
    return total;
  }

  private static long readSoFar(PipelineResult result, String step) {
    long total = 0;
    for (MetricResult<Long> counter : result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      String name = counter.getName().getName();
      if (counter.getKey().stepName().startsWith(step)
          && (name.endsWith(IndexCounters.SEPARATOR + OpenSearchRead.READ) || name.endsWith(IndexCounters.SEPARATOR + SnapshotIO.DOCUMENTS))) {
        total += counter.getAttempted();
      }
    }
    return total;
  }

  /** The indices among these whose refresh is turned off: a search sees them as of their last refresh only. */
  private static List<String> refreshDisabled(ClusterClient source, Set<String> indices) {
    List<String> off = new ArrayList<>();
    source.getJson("/_settings/index.refresh_interval").fields().forEachRemaining(e -> {
      if (indices.contains(e.getKey()) && "-1".equals(e.getValue().at("/settings/index/refresh_interval").asText())) {
        off.add(e.getKey());
      }
    });
    Collections.sort(off);
    return off;
  }

  private String describeSnapshot(Selection selection, Map<String, Set<String>> typesBySourceIndex) {
    String snapshot = options.getSnapshot();
    if (snapshot == null) {
      throw new UserError("--snapshot is required with --repo");
    }
    try (SnapshotRepository repo = SnapshotRepository.open(RepositoryLocations.of(options.getRepo(), options).open())) {
      RepositoryData.SnapshotEntry snap = repo.snapshot(snapshot);
      SnapshotInfo info = repo.snapshotInfo(snap);
      for (String index : repo.indices(snap, selection)) {
        IndexMetadata meta = repo.indexMetadata(snap, index);
        Set<String> types = new TreeSet<>(meta.mappingsByType().keySet());
        types.remove("_default_");
        typesBySourceIndex.put(index, types);
      }
      return "snapshot '" + snapshot + "' in " + options.getRepo() + " (" + info.versionLabel() + ")";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The mapping types of a live index (only Elasticsearch 5 can have several). */
  private static Set<String> liveTypes(ClusterClient source, ClusterVersion version, String index) {
    Set<String> types = new TreeSet<>();
    if (OpenSearchRead.hasTypes(version)) {
      JsonNode mappings = source.getJson("/" + ClusterClient.segment(index) + "/_mapping").path(index).path("mappings");
      mappings.fieldNames().forEachRemaining(types::add);
      types.remove("_default_");
    }
    return types;
  }

  /** Adds the counts to the report and returns the differences found (their sources not yet fetched). */
  private static List<Comparison> readFindings(Path findings, ValidationReport report) {
    if (!Files.exists(findings)) {
      return List.of();
    }
    // appends are at-least-once: a retried bundle may repeat lines, so each count and difference is kept once
    Map<String, JsonNode> counts = new TreeMap<>();
    Map<String, Comparison> differences = new LinkedHashMap<>();
    try (Stream<String> lines = Files.lines(findings)) {
      lines.filter(l -> !l.isBlank()).map(Json::parse).forEach(line -> {
        if (CompareDocuments.isDifferenceLine(line)) {
          Comparison c = Comparison.fromJson(line);
          differences.put(ComparedDocument.key(c.index(), c.id()) + '\u0000' + c.category(), c);
        } else {
          counts.put(line.path("index").asText() + '\u0000' + line.path("category").asText(), line);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    counts.values().forEach(line -> report.count(line.path("index").asText(),
        Category.ofLabel(line.path("category").asText()), line.path("count").asLong()));
    return new ArrayList<>(differences.values());
  }

  /** Waits, fetches every differing document again on both sides, and counts those that converged as in flight. */
  private void settle(ValidationReport report, Duration settle, ClusterClient source, ClusterClient target,
      DocumentTransform transform) {
    List<Comparison> before = new ArrayList<>(report.differences());
    before.sort(Comparator.comparing(Comparison::index).thenComparing(Comparison::id));
    log.accept(before.size() + " document(s) differ; looking again in " + Durations.human(settle));
    try {
      Thread.sleep(settle.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while settling");
    }
    boolean sourceTypes = OpenSearchRead.hasTypes(ClusterVersion.detect(source));
    Map<String, ComparedDocument> sourceNow = new TreeMap<>();
    Map<String, ComparedDocument> targetNow = new TreeMap<>();
    Map<String, List<String>> idsBySourceIndex = new TreeMap<>();
    Map<String, List<String>> idsByTargetIndex = new TreeMap<>();
    for (Comparison c : before) {
      String origin = c.source() != null ? c.source().originIndex() : c.index();
      idsBySourceIndex.computeIfAbsent(origin, k -> new ArrayList<>()).add(c.id());
      idsByTargetIndex.computeIfAbsent(c.index(), k -> new ArrayList<>()).add(c.id());
    }
    idsBySourceIndex.forEach((index, ids) -> {
      for (SourceDocument doc : OpenSearchRead.fetch(source, index, ids, sourceTypes)) {
        for (ComparedDocument d : ToComparedFn.compared(doc, transform)) {
          sourceNow.put(d.key(), d);
        }
      }
    });
    idsByTargetIndex.forEach((index, ids) -> {
      for (SourceDocument doc : OpenSearchRead.fetch(target, index, ids, false)) {
        for (ComparedDocument d : ToComparedFn.compared(doc, null)) {
          targetNow.put(d.key(), d);
        }
      }
    });
    List<Comparison> after = new ArrayList<>();
    for (Comparison c : before) {
      String key = ComparedDocument.key(c.index(), c.id());
      ComparedDocument s = sourceNow.get(key);
      ComparedDocument t = targetNow.get(key);
      if (s == null && t == null) {
        after.add(c.inFlight()); // deleted on both sides meanwhile
      } else {
        Comparison now = Comparison.of(c.index(), c.id(), s, t);
        after.add(now.category() == Category.EQUAL ? now.inFlight() : now);
      }
    }
    report.settled(Durations.human(settle), before, after);
  }

  private static Path workDirectory() {
    try {
      return OwnerOnlyFiles.createDirectory(Files.createTempDirectory("migrate-validate-").resolve("work"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir.getParent())) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
