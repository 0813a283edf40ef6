package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.common.UserError;
import java.util.Locale;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Pipeline options for the runners the console offers. */
public enum Runners {
  /** Beam's DirectRunner in this JVM. */
  DIRECT("direct"),
  /** Flink's mini-cluster in this JVM ({@code --flinkMaster=[local]}). */
  FLINK_LOCAL("flink-local");

  private final String id;

  Runners(String id) {
    this.id = id;
  }

  public static Runners parse(String text) {
    for (Runners r : values()) {
      if (r.id.equals(text.toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new UserError("unknown runner '" + text + "'; expected direct or flink-local");
  }

  public String id() {
    return id;
  }

  /** Options for this runner with the given number of parallel workers. */
  public PipelineOptions options(int parallelism) {
    switch (this) {
      case FLINK_LOCAL: {
        FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
        options.setRunner(FlinkRunner.class);
        options.setFlinkMaster("[local]");
        options.setParallelism(parallelism);
        // Flink cuts bundles at 1,000 elements by default, which would cap bulk batches; let batches fill.
        options.setMaxBundleSize(20_000L);
        options.setMaxBundleTimeMills(5_000L);
        return options;
      }
      case DIRECT:
      default: {
        DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
        options.setRunner(DirectRunner.class);
        options.setTargetParallelism(parallelism);
        // Checks that clone every element: useful while developing transforms, costly for millions of documents.
        options.setEnforceImmutability(false);
        options.setEnforceEncodability(false);
        return options;
      }
    }
  }
}
