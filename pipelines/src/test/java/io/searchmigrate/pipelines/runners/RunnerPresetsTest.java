package io.searchmigrate.pipelines.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.searchmigrate.common.UserError;
import io.searchmigrate.pipelines.replay.ReplayOptions;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;

/** The runner presets of runner-configs/ under Beam's own option parsing. */
class RunnerPresetsTest {
  private static final String CORES = Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors()));

  @Test
  void theDirectRunnerPresetAppliesByDefault() {
    assertEquals(List.of("--runner=DirectRunner", "--targetParallelism=" + CORES, "--enforceImmutability=false",
        "--enforceEncodability=false", "--jobName=x"), RunnerPresets.withPresets(List.of("--jobName=x")));
    DirectOptions options = RunnerPresets.parse(List.of(), PipelineOptions.class).as(DirectOptions.class);
    assertEquals(DirectRunner.class, options.getRunner());
    assertFalse(options.isEnforceImmutability());
  }

  @Test
  void optionsOnTheCommandLineReplaceThePresets() {
    assertEquals(List.of("--runner=DirectRunner", "--enforceImmutability=false", "--enforceEncodability=false",
        "--targetParallelism=7"), RunnerPresets.withPresets(List.of("--targetParallelism=7")));
  }

  @Test
  void flinkOnTheMiniClusterGetsItsPreset() {
    FlinkPipelineOptions options = RunnerPresets.parse(List.of("--runner=FlinkRunner", "--parallelism=3"), PipelineOptions.class)
        .as(FlinkPipelineOptions.class);
    assertEquals(FlinkRunner.class, options.getRunner());
    assertEquals("[local]", options.getFlinkMaster());
    assertEquals(3, options.getParallelism());
    assertEquals(20_000L, options.getMaxBundleSize());
  }

  @Test
  void aPresetLineMeantForTheReplayAppliesToTheReplayOnlyAndTheCommandLineStillWins() {
    assertEquals("replay", RunnerPresets.pipelineOf(ReplayOptions.class));
    FlinkPipelineOptions replay = RunnerPresets.parse(List.of("--runner=FlinkRunner", "--kafka=k:9092", "--topic=t",
        "--target=http://t:9200", "--sourceVersion=7.10.2"), ReplayOptions.class).as(FlinkPipelineOptions.class);
    assertEquals(1_000L, replay.getMaxBundleTimeMills());
    assertEquals(true, replay.getFinishBundleBeforeCheckpointing());
    FlinkPipelineOptions other = RunnerPresets.parse(List.of("--runner=FlinkRunner"), PipelineOptions.class)
        .as(FlinkPipelineOptions.class);
    assertEquals(5_000L, other.getMaxBundleTimeMills());
    assertEquals(false, other.getFinishBundleBeforeCheckpointing());
    FlinkPipelineOptions given = RunnerPresets.parse(List.of("--runner=FlinkRunner", "--kafka=k:9092", "--topic=t",
        "--target=http://t:9200", "--sourceVersion=7.10.2", "--maxBundleTimeMills=300"), ReplayOptions.class).as(FlinkPipelineOptions.class);
    assertEquals(300L, given.getMaxBundleTimeMills());
  }

  @Test
  void runnersAreNamedAsBeamNamesThem() {
    assertEquals("flink-local", RunnerPresets.presetName(List.of("--runner=flink")));
    assertEquals("flink-local", RunnerPresets.presetName(List.of("--runner=org.apache.beam.runners.flink.FlinkRunner")));
    assertEquals("direct", RunnerPresets.presetName(List.of("--runner=directrunner")));
    assertEquals("direct", RunnerPresets.presetName(List.of()));
    assertEquals(FlinkRunner.class, RunnerPresets.parse(List.of("--runner=flink"), PipelineOptions.class).getRunner());
  }

  @Test
  void flinkOnAClusterGetsItsPreset() {
    assertEquals("flink", RunnerPresets.presetName(List.of("--runner=FlinkRunner", "--flinkMaster=flink:8081")));
    FlinkPipelineOptions options = RunnerPresets.parse(List.of("--runner=FlinkRunner", "--flinkMaster=flink:8081"),
        PipelineOptions.class).as(FlinkPipelineOptions.class);
    assertEquals("flink:8081", options.getFlinkMaster());
    assertEquals(-1, options.getParallelism(), "the cluster's parallelism.default applies");
    assertEquals(20_000L, options.getMaxBundleSize());
  }

  @Test
  void unsupportedRunnersAndMastersAreClearErrors() {
    UserError master = assertThrows(UserError.class,
        () -> RunnerPresets.withPresets(List.of("--runner=FlinkRunner", "--flinkMaster=[cluster]")));
    assertEquals("--flinkMaster=[cluster] is not a Flink cluster address; use host:port of its REST endpoint "
        + "(./migrate flink start-local prints it), or [local] for Flink's mini-cluster in this JVM", master.getMessage());
    UserError runner = assertThrows(UserError.class, () -> RunnerPresets.withPresets(List.of("--runner=SparkRunner")));
    assertEquals("--runner=SparkRunner is not one this project ships; use DirectRunner or FlinkRunner", runner.getMessage());
  }

  @Test
  void anUnknownOptionIsAClearError() {
    UserError e = assertThrows(UserError.class, () -> RunnerPresets.parse(List.of("--noSuchOption=1"), PipelineOptions.class));
    assertEquals(true, e.getMessage().contains("noSuchOption"), e.getMessage());
    assertEquals(true, e.getMessage().endsWith("(pipeline options are written --name=value; --help lists them)"), e.getMessage());
  }
}
