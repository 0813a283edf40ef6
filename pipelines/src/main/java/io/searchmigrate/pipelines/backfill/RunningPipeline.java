package io.searchmigrate.pipelines.backfill;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A backfill pipeline while it runs: started without blocking where the runner allows it, so progress lines can be
 * printed from its metrics, then awaited for its final counts.
 */
final class RunningPipeline {
  private final Pipeline pipeline;
  private final PipelineOptions options;
  private final Consumer<String> log;
  private final AtomicReference<PipelineResult> result = new AtomicReference<>();
  private long startNanos;
  private long elapsedMillis;

  private RunningPipeline(Pipeline pipeline, PipelineOptions options, Consumer<String> log) {
    this.pipeline = pipeline;
    this.options = options;
    this.log = log;
  }

  static RunningPipeline start(Pipeline pipeline, PipelineOptions options, Consumer<String> log) {
    return new RunningPipeline(pipeline, options, log);
  }

  String runnerName() {
    return options.getRunner().getSimpleName();
  }

  long elapsedMillis() {
    return elapsedMillis;
  }

  /** Runs the pipeline to its end, printing a progress line every {@code everySeconds} (0: none); its final counts. */
  BackfillCounts awaitCounts(int everySeconds) {
    if (options.getRunner() == DirectRunner.class) {
      options.as(DirectOptions.class).setBlockOnRun(false); // return at once, so its metrics can be read while it runs
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "backfill-progress");
      t.setDaemon(true);
      return t;
    });
    startNanos = System.nanoTime();
    BackfillProgress progress = new BackfillProgress(startNanos);
    if (everySeconds > 0) {
      timer.scheduleAtFixedRate(() -> report(progress), everySeconds, everySeconds, TimeUnit.SECONDS);
    }
    try {
      PipelineResult running = pipeline.run();
      result.set(running);
      running.waitUntilFinish();
    } finally {
      timer.shutdownNow();
      elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
    }
    return BackfillCounts.of(result.get().metrics().queryMetrics(MetricsFilter.builder().build()));
  }

  private void report(BackfillProgress progress) {
    try {
      MetricQueryResults now = liveMetrics();
      if (now != null) {
        log.accept(progress.line(BackfillCounts.of(now), System.nanoTime()));
      }
    } catch (RuntimeException e) {
      // a progress line is not worth failing the run for; the final account comes from the result
    }
  }

  /** The metrics of the run so far, or null when the runner does not tell yet. */
  private MetricQueryResults liveMetrics() {
    PipelineResult running = result.get();
    return running == null ? null : running.metrics().queryMetrics(MetricsFilter.builder().build());
  }
}
