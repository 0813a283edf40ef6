package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.common.ProgressLine;
import io.searchmigrate.pipelines.runners.FlinkJobVertices;
import io.searchmigrate.pipelines.runners.FlinkSubmission;
import io.searchmigrate.pipelines.runners.LocalFlinkRest;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Runs a backfill pipeline to its end while printing progress lines, then reads its final counts from Beam's metrics.
 *
 * <p>Where the live numbers come from depends on the runner: the DirectRunner is started without blocking and its
 * Beam metrics are read while it runs; on Flink, whose batch jobs publish Beam counters only as their tasks end,
 * its tasks' record counters are read over its REST API ({@link FlinkJobVertices}): the mini-cluster's in this JVM, or
 * the session cluster's a job is submitted to ({@link FlinkSubmission}).
 */
final class RunningPipeline {
  private final Pipeline pipeline;
  private final PipelineOptions options;
  private final Consumer<String> log;
  private final ProgressLine progressLine;
  private long elapsedMillis;
  private String submittedJob;
  private SliceLedger ledger;

  RunningPipeline(Pipeline pipeline, PipelineOptions options, Consumer<String> log, ProgressLine progressLine) {
    this.pipeline = pipeline;
    this.options = options;
    this.log = log;
    this.progressLine = progressLine;
  }

  /** The run's progress ledger: on Flink, the live line counts the documents of the slices it records. */
  RunningPipeline withLedger(SliceLedger progressLedger) {
    this.ledger = progressLedger;
    return this;
  }

  String runnerName() {
    return options.getRunner().getSimpleName();
  }

  long elapsedMillis() {
    return elapsedMillis;
  }

  /** The Flink job id of a pipeline submitted with {@code --attachedMode=false} (the console's --detach), once run. */
  Optional<String> detachedJob() {
    return Optional.ofNullable(submittedJob);
  }

  /**
   * Runs the pipeline, showing its progress line (every {@code everySeconds} in a log, every second on a terminal; 0:
   * none); its final counts, or null when it was submitted to a Flink cluster detached (see {@link #detachedJob()}).
   */
  BackfillCounts run(int everySeconds) {
    AtomicReference<PipelineResult> result = new AtomicReference<>();
    long startNanos = System.nanoTime();
    BackfillProgress progress = new BackfillProgress(startNanos);
    Supplier<Optional<BackfillProgress.Reading>> live = Optional::empty;
    if (options.getRunner() == DirectRunner.class) {
      options.as(DirectOptions.class).setBlockOnRun(false); // return at once, so its metrics can be read while it runs
      live = () -> Optional.ofNullable(result.get()).map(r -> progress.reading(
          BackfillCounts.of(r.metrics().queryMetrics(MetricsFilter.builder().build())), System.nanoTime()));
    }
    Optional<LocalFlinkRest> flinkRest = LocalFlinkRest.configure(options);
    Optional<FlinkSubmission> submission = FlinkSubmission.of(options, log);
    Optional<String> flinkRestUrl = flinkRest.map(LocalFlinkRest::url).or(() -> submission.map(FlinkSubmission::webUrl));
    if (flinkRestUrl.isPresent()) {
      FlinkJobVertices job = new FlinkJobVertices(flinkRestUrl.get(), options.getJobName());
      long earlier = ledger == null ? 0 : documents(ledger);
      live = () -> {
        submission.ifPresent(FlinkSubmission::announce); // the job id and its web UI link, once the cluster lists it
        long acknowledged = ledger == null ? -1 : documents(ledger) - earlier;
        return job.read().map(vertices -> progress.flinkReading(vertices, acknowledged));
      };
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "backfill-progress");
      t.setDaemon(true);
      return t;
    });
    if (everySeconds > 0) {
      Supplier<Optional<BackfillProgress.Reading>> readings = live;
      int period = progressLine.isTerminal() ? 1 : everySeconds;
      timer.scheduleAtFixedRate(() -> report(readings), period, period, TimeUnit.SECONDS);
    }
    try {
      PipelineResult running = pipeline.run();
      result.set(running);
      if (submission.isPresent() && submission.get().isDetached()) {
        submittedJob = submission.get().awaitJobId();
        return null;
      }
      // waitUntilFinish, never getState: a state read first would hide the pipeline's failure from it
      running.waitUntilFinish();
    } finally {
      timer.shutdownNow();
      flinkRest.ifPresent(LocalFlinkRest::close);
      if (submittedJob == null) {
        submission.ifPresent(s -> report(() -> { s.announce(); return Optional.empty(); }));
      }
      elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
    }
    BackfillCounts counts = BackfillCounts.of(result.get().metrics().queryMetrics(MetricsFilter.builder().build()));
    if (everySeconds > 0) {
      BackfillProgress.Reading last = progress.reading(counts, System.nanoTime());
      progressLine.finish(last.done(), last.total(), last.details());
    }
    return counts;
  }

  private void report(Supplier<Optional<BackfillProgress.Reading>> readings) {
    try {
      readings.get().ifPresent(r -> progressLine.update(r.done(), r.total(), r.details()));
    } catch (RuntimeException e) {
      // a progress line is not worth failing the run for; the final account comes from the result
    }
  }

  private static long documents(SliceLedger ledger) {
    return ledger.documents();
  }
}
