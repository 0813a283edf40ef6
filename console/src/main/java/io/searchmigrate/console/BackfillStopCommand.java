package io.searchmigrate.console;

import io.searchmigrate.common.UserError;
import io.searchmigrate.pipelines.runners.FlinkSession;
import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code migrate backfill stop}: cancels a backfill running on a Flink session cluster (one submitted with
 * {@code --runner flink}, typically {@code --detach}ed) and waits until Flink says it ended. The slices it finished stay
 * in its progress ledger, so the same backfill command resumes after them. A backfill running in a terminal (any
 * runner) stops the same way with Ctrl-C.
 *
 * <pre>{@code
 * ./migrate backfill --repo /snapshots --snapshot snap-1 --target http://os:9200 --runner flink --flink-master host:8081 --detach
 * ./migrate backfill stop --flink-master host:8081
 * }</pre>
 */
@Command(name = "stop", mixinStandardHelpOptions = true, description = {
    "Stop a backfill running on a Flink session cluster (submitted with --runner flink, e.g. with --detach).",
    "Cancels its Flink job and waits until it ended. The finished slices stay in the progress ledger: the same "
        + "backfill command resumes after them. With several backfills running, name the job (./migrate flink jobs).",
    "A backfill running in a terminal stops with Ctrl-C, its ledger written."})
final class BackfillStopCommand implements Callable<Integer> {
  /** The start of the Flink job name of every backfill ({@code backfill-<snapshot>-<time>}). */
  static final String JOB_PREFIX = "backfill-";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  FlinkCommand.Target target = new FlinkCommand.Target();

  @Parameters(arity = "0..1", paramLabel = "JOB", description = "the backfill's Flink job id (needed when several run)")
  String jobId;

  /** The job name a backfill of {@code snapshot} is submitted under: the snapshot's name and the start time. */
  static String jobName(String snapshot) {
    return JOB_PREFIX + snapshot.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-"
        + LocalDateTime.now().format(STAMP);
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    FlinkSession session = target.session(spec.commandLine().getErr());
    List<FlinkSession.Job> running = session.jobs().stream()
        .filter(job -> !job.isTerminal() && job.name().startsWith(JOB_PREFIX))
        .filter(job -> jobId == null || job.id().equals(jobId)).toList();
    if (running.isEmpty()) {
      throw new UserError(jobId == null
          ? "no backfill is running on the Flink cluster at " + session.webUrl() + "; ./migrate flink jobs lists its jobs"
          : "the Flink cluster at " + session.webUrl() + " runs no backfill job " + jobId + "; ./migrate flink jobs "
              + "lists its jobs");
    }
    if (running.size() > 1) {
      throw new UserError(running.size() + " backfills are running on the Flink cluster at " + session.webUrl() + ": "
          + running.stream().map(job -> job.id() + " (" + job.name() + ")").toList() + "; name the one to stop: "
          + "./migrate backfill stop JOB");
    }
    FlinkSession.Job job = running.get(0);
    session.cancel(job.id());
    out.println("stopping backfill job " + job.id() + " (" + job.name() + ") ...");
    out.flush();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    FlinkSession.Job now = job;
    while (!now.isTerminal() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      now = session.job(job.id()).orElse(now);
    }
    if (!now.isTerminal()) {
      throw new UserError("Flink at " + session.webUrl() + " was asked to cancel job " + job.id() + " but it is still "
          + now.state() + " after 2 minutes; see " + session.jobUrl(job.id()));
    }
    out.println("stopped: job " + job.id() + " is " + now.state() + ". The slices it finished are in its progress ledger "
        + "(./migrate backfill status); the same backfill command resumes after them, --restart reads everything again.");
    return 0;
  }
}
