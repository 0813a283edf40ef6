package io.searchmigrate.pipelines.runners;

import io.searchmigrate.common.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.construction.resources.PipelineResources;

/**
 * A pipeline submitted to a Flink session cluster ({@code --runner=FlinkRunner --flinkMaster=host:port}): checks the
 * cluster answers before anything is staged, takes the cluster's default parallelism when none is given, and says
 * which job it became and where the web UI shows it.
 *
 * <p>What is staged: Beam's FlinkRunner sends every entry of {@code --filesToStage} to the cluster's blob server; by
 * default this JVM's class path with its jars merged into one ({@link StagedJar}: the cluster takes about 0.1 s per
 * file, 20 s for the 250 of a class path) and its folders zipped into jars by Beam; the tasks load them in a
 * child-first class loader, except {@code org.apache.flink.*}, which the cluster's own jars serve.
 */
public final class FlinkSubmission {
  private static final long JOB_LISTED_TIMEOUT_MILLIS = 120_000;
  /** Where the class path merged into one jar is kept between submissions ({@link StagedJar}). */
  private static final Path STAGING = Path.of(System.getProperty("java.io.tmpdir"),
      "search-migrate-staging-" + System.getProperty("user.name", "user"));

  private final FlinkSession session;
  private final String jobName;
  private final boolean detached;
  private final Consumer<String> log;
  private String announcedJob;

  private FlinkSubmission(FlinkSession session, String jobName, boolean detached, Consumer<String> log) {
    this.session = session;
    this.jobName = jobName;
    this.detached = detached;
    this.log = log;
  }

  /** Present when the options submit to a Flink cluster (not Flink's in-process [local] one). */
  public static Optional<FlinkSubmission> of(PipelineOptions options, Consumer<String> log) {
    if (options.getRunner() != FlinkRunner.class) {
      return Optional.empty();
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (!FlinkSession.isRemote(flink.getFlinkMaster())) {
      return Optional.empty();
    }
    FlinkSession session = FlinkSession.at(flink.getFlinkMaster());
    int slots = session.overview().path("slots-total").asInt();
    if (flink.getParallelism() <= 0) {
      flink.setParallelism(session.defaultParallelism().filter(p -> p > 0).orElse(Math.max(1, slots)));
    }
    if (flink.getParallelism() > slots) {
      throw new UserError("--parallelism " + flink.getParallelism() + " needs that many task slots, but the Flink cluster at "
          + session.webUrl() + " has " + slots + "; lower --parallelism or start more TaskManagers");
    }
    if (flink.getFilesToStage() == null) {
      List<String> classPath = PipelineResources.detectClassPathResourcesToStage(FlinkSubmission.class.getClassLoader(), options);
      try {
        flink.setFilesToStage(StagedJar.merging(classPath, STAGING));
      } catch (IOException | RuntimeException e) {
        log.accept("could not merge the class path into one jar in " + STAGING + " (" + e.getMessage()
            + "); staging its " + classPath.size() + " entries one by one, which takes longer");
      }
    }
    log.accept("submitting job '" + options.getJobName() + "' to the Flink session cluster at " + session.webUrl()
        + " (parallelism " + flink.getParallelism() + ", " + slots + " slot(s)); staging the pipeline's jars");
    return Optional.of(new FlinkSubmission(session, options.getJobName(), !flink.getAttachedMode(), log));
  }

  public String webUrl() {
    return session.webUrl();
  }

  public boolean isDetached() {
    return detached;
  }

  /** Says the job id and its web UI link the first time the cluster lists the job. */
  public synchronized void announce() {
    if (announcedJob == null) {
      session.newestJob(jobName).ifPresent(job -> {
        announcedJob = job.id();
        log.accept("Flink job " + job.id() + " (" + job.state() + "): " + session.jobUrl(job.id()));
      });
    }
  }

  /** Waits until the cluster lists the submitted job, announces it and returns its id. */
  public String awaitJobId() {
    long deadline = System.currentTimeMillis() + JOB_LISTED_TIMEOUT_MILLIS;
    while (announcedJob == null && System.currentTimeMillis() < deadline) {
      announce();
      if (announcedJob == null) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    if (announcedJob == null) {
      throw new UserError("the job '" + jobName + "' was submitted but the Flink cluster at " + session.webUrl()
          + " does not list it; see ./migrate flink jobs");
    }
    return announcedJob;
  }
}
