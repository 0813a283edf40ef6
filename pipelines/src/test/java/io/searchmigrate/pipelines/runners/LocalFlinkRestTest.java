package io.searchmigrate.pipelines.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job on Flink's real mini-cluster is seen while it runs: LocalFlinkRest fixes the REST port, FlinkJobVertices reads
 * the running job's vertices from it. The job holds its last element until the test has seen it.
 */
class LocalFlinkRestTest {
  @TempDir
  Path temp;

  /** Passes elements on; holds the last one until a file appears (the test's signal), at most a minute. */
  static final class HoldFn extends DoFn<Integer, Integer> {
    private static final long serialVersionUID = 1L;
    private final String release;

    HoldFn(String release) {
      this.release = release;
    }

    @ProcessElement
    public void process(@Element Integer n, OutputReceiver<Integer> out) throws InterruptedException {
      if (n == 3) {
        for (int i = 0; i < 600 && !Files.exists(Path.of(release)); i++) {
          Thread.sleep(100);
        }
      }
      out.output(n);
    }
  }

  /** Three numbers through the holding step, named Test/Hold as a step inside a pipeline's composite is. */
  static final class Job extends PTransform<PBegin, PCollection<Integer>> {
    private static final long serialVersionUID = 1L;
    private final String release;

    Job(String release) {
      this.release = release;
    }

    @Override
    public PCollection<Integer> expand(PBegin input) {
      return input.apply("Numbers", Create.of(List.of(1, 2, 3))).apply("Hold", ParDo.of(new HoldFn(release)));
    }
  }

  @Test
  void aRunningJobOnTheMiniClusterIsReadOverRest() throws Exception {
    FlinkPipelineOptions options = RunnerPresets.parse(List.of("--runner=FlinkRunner", "--parallelism=1",
        "--jobName=local-flink-rest-test"), PipelineOptions.class).as(FlinkPipelineOptions.class);
    LocalFlinkRest rest = LocalFlinkRest.configure(options).orElseThrow();
    Path confDir = Path.of(options.getFlinkConfDir());
    assertTrue(Files.readString(confDir.resolve("config.yaml")).contains("rest.bind-port: \"" + rest.url().replaceAll(".*:", "")));
    Path release = temp.resolve("release");
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply("Test", new Job(release.toString()));
    CompletableFuture<Void> run = CompletableFuture.runAsync(() -> pipeline.run().waitUntilFinish());
    try {
      FlinkJobVertices job = new FlinkJobVertices(rest.url(), "local-flink-rest-test");
      Optional<List<FlinkJobVertices.Vertex>> seen = Optional.empty();
      for (int i = 0; i < 300 && seen.isEmpty() && !run.isDone(); i++) {
        try {
          seen = job.read().filter(vertices -> vertices.stream().anyMatch(v -> v.runs("Hold")));
        } catch (RuntimeException notUpYet) {
          // the mini-cluster's REST endpoint starts with the job
        }
        if (seen.isEmpty()) {
          Thread.sleep(200);
        }
      }
      assertTrue(seen.isPresent(), "the running job and its Hold step were found over REST");
      assertFalse(FlinkJobVertices.finished(seen.get(), "Hold"), "seen while the job was still running");
    } finally {
      Files.writeString(release, "go");
      run.get(2, TimeUnit.MINUTES);
      rest.close();
    }
    assertFalse(Files.exists(confDir), "the one-off Flink configuration is deleted");
    assertEquals(Optional.empty(), LocalFlinkRest.configure(RunnerPresets.parse(List.of(), PipelineOptions.class)),
        "nothing to configure for the DirectRunner");
  }
}
