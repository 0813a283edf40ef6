package io.searchmigrate.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.launcher.LocalFlink;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.launcher.SupervisedProcess;
import io.searchmigrate.pipelines.runners.FlinkSession;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code migrate flink ...}: a local Flink session cluster (JobManager and TaskManagers as separate processes) to
 * submit pipelines to with {@code --runner flink --flink-master host:port}, and the jobs of any session cluster.
 */
@Command(name = "flink", description = "Run a local Flink session cluster and see or cancel the jobs of one.",
    subcommands = {FlinkCommand.StartLocal.class, FlinkCommand.StopLocal.class, FlinkCommand.Status.class,
        FlinkCommand.Jobs.class, FlinkCommand.Cancel.class})
final class FlinkCommand implements Runnable {
  static final String DEFAULT_NAME = "flink";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static LocalFlink launcher(PrintWriter err) {
    return new LocalFlink(ProcessSupervisor.defaultHome(), err::println);
  }

  /** Which cluster a command talks to: --flink-master, else the local one of --name. */
  static final class Target {
    @Option(names = "--flink-master", paramLabel = "HOST:PORT", description = "the session cluster's REST address (default: the local cluster of --name)")
    String master;

    @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "local cluster name (default: ${DEFAULT-VALUE})")
    String name;

    FlinkSession session(PrintWriter err) {
      if (master != null) {
        return FlinkSession.at(master);
      }
      return FlinkSession.at(launcher(err).find(name).filter(LocalFlink.Session::isRunning).map(LocalFlink.Session::master)
          .orElseThrow(() -> new UserError("no --flink-master given and no local Flink cluster '" + name + "' is running; "
              + "pass --flink-master HOST:PORT, or start one with: ./migrate flink start-local")));
    }
  }

  @Command(name = "start-local", mixinStandardHelpOptions = true, description =
      "Start a Flink 1.19 session cluster on 127.0.0.1: a JobManager and TaskManagers, each a background process run "
          + "from the jars the build put in flink-local/target/lib, configured by runner-configs/flink/config.yaml. "
          + "Prints the web UI / REST address, which --flink-master takes.")
  static final class StartLocal implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "cluster name (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--task-managers", defaultValue = "1", description = "TaskManager processes (default: ${DEFAULT-VALUE})")
    int taskManagers;

    @Option(names = "--slots", defaultValue = "0", description = "task slots per TaskManager (default: the configuration's taskmanager.numberOfTaskSlots)")
    int slots;

    @Option(names = "--port", defaultValue = "0", description = "REST and web UI port (default: the first free one from MIGRATE_PORT_BASE)")
    int port;

    @Option(names = "--config-dir", description = "folder with config.yaml and log4j.properties (default: runner-configs/flink; "
        + "runner-configs/flink-large is a profile for a bigger machine)")
    Path configDir;

    @Override
    public Integer call() {
      Path root = LocalProcesses.projectRoot(Migrate.class);
      Path config = configDir != null ? configDir.toAbsolutePath() : LocalFlink.configDir(root);
      LocalFlink.Session session = launcher(spec.commandLine().getErr()).start(LocalFlink.Request.of(name, config)
          .withTaskManagers(taskManagers).withSlots(slots).withRestPort(port), LocalFlink.flinkLib(root));
      PrintWriter out = spec.commandLine().getOut();
      out.println("web UI and REST: " + session.webUrl());
      out.println("submit with:     --runner flink --flink-master " + session.master());
      return 0;
    }
  }

  @Command(name = "stop-local", mixinStandardHelpOptions = true, description =
      "Stop a cluster started by start-local: its TaskManagers, then its JobManager (by their recorded PIDs).")
  static final class StopLocal implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "cluster name (default: ${DEFAULT-VALUE})")
    String name;

    @Override
    public Integer call() {
      LocalFlink flink = launcher(spec.commandLine().getErr());
      if (flink.stop(name).isEmpty()) {
        throw new UserError("no local Flink cluster named '" + name + "'; known: "
            + flink.list().stream().map(LocalFlink.Session::name).toList() + ". Start one with: ./migrate flink start-local");
      }
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description =
      "Show a session cluster: its processes (local ones), TaskManagers, slots and jobs by state.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Target target = new Target();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (target.master == null) {
        LocalFlink.Session local = launcher(err).find(target.name).orElseThrow(() -> new UserError("no local Flink cluster named '"
            + target.name + "'; start one with: ./migrate flink start-local"));
        out.println("local cluster '" + local.name() + "': " + (local.isRunning() ? "running" : "stopped"));
        for (SupervisedProcess process : processes(local)) {
          out.printf("  %-28s pid %-8d %-8s log %s%n", process.name(), process.pid(), process.isRunning() ? "running" : "stopped",
              process.log());
        }
        if (!local.isRunning()) {
          return 0;
        }
      }
      FlinkSession session = target.session(err);
      JsonNode overview = session.overview();
      out.println("web UI and REST: " + session.webUrl() + " (Flink " + overview.path("flink-version").asText() + ")");
      out.printf("TaskManagers: %d, slots: %d (%d free)%n", overview.path("taskmanagers").asInt(),
          overview.path("slots-total").asInt(), overview.path("slots-available").asInt());
      out.printf("jobs: %d running, %d finished, %d cancelled, %d failed%n", overview.path("jobs-running").asInt(),
          overview.path("jobs-finished").asInt(), overview.path("jobs-cancelled").asInt(), overview.path("jobs-failed").asInt());
      return 0;
    }

    private static List<SupervisedProcess> processes(LocalFlink.Session session) {
      List<SupervisedProcess> all = new java.util.ArrayList<>(List.of(session.jobManager()));
      all.addAll(session.taskManagers());
      return all;
    }
  }

  @Command(name = "jobs", mixinStandardHelpOptions = true, description = "List a session cluster's jobs, newest first.")
  static final class Jobs implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Target target = new Target();

    @Override
    public Integer call() {
      FlinkSession session = target.session(spec.commandLine().getErr());
      PrintWriter out = spec.commandLine().getOut();
      List<FlinkSession.Job> jobs = session.jobs();
      out.printf("%-32s  %-9s  %9s  %7s  %s%n", "JOB ID", "STATE", "DURATION", "TASKS", "NAME");
      for (FlinkSession.Job job : jobs) {
        out.printf("%-32s  %-9s  %8.1fs  %3d/%-3d  %s%n", job.id(), job.state(), job.durationMillis() / 1000.0, job.finishedTasks(),
            job.tasks(), job.name());
      }
      if (jobs.isEmpty()) {
        out.println("(no jobs)");
      }
      return 0;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a job of a session cluster by its id.")
  static final class Cancel implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Target target = new Target();

    @Parameters(paramLabel = "JOB", description = "the job id (./migrate flink jobs lists them)")
    String jobId;

    @Override
    public Integer call() {
      FlinkSession session = target.session(spec.commandLine().getErr());
      session.cancel(jobId);
      spec.commandLine().getOut().println("cancelling job " + jobId + " (" + session.jobUrl(jobId) + ")");
      return 0;
    }
  }
}
