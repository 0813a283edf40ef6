package io.searchmigrate.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.KeyValueOptions;
import io.searchmigrate.common.LocalPaths;
import io.searchmigrate.common.OwnerOnlyFiles;
import io.searchmigrate.common.ProgressLine;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.LocalProxies;
import io.searchmigrate.launcher.ProcessKind;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.launcher.SupervisedProcess;
import io.searchmigrate.pipelines.replay.ReplayJob;
import io.searchmigrate.pipelines.replay.ReplayOptions;
import io.searchmigrate.pipelines.replay.ReplayProgress;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.snapshot.s3.S3Uri;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code migrate replay ...}: the captured traffic replayed into the target. {@code run} replays in the foreground
 * (with {@code --until-drained}, until every captured request was answered); {@code start} runs the same in the
 * background, {@code status} says where it stands and {@code stop} ends it gracefully.
 */
@Command(name = "replay", description = "Replay the traffic captured by the proxy into the target, in order, with tuples.",
    subcommands = {ReplayCommand.Run.class, ReplayCommand.Start.class, ReplayCommand.Status.class, ReplayCommand.Stop.class})
final class ReplayCommand implements Runnable {
  static final String DEFAULT_NAME = "replay";
  static final String STATUS_FILE = "status.json";
  private static final Duration STOP_GRACE = Duration.ofSeconds(90);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  /**
   * How long a stop lets the requests being sent finish and their offsets be committed (commits happen every second).
   * Records read ahead but not yet sent are not waited for: the next start replays them.
   */
  private static final Duration STOP_DRAIN = Duration.ofSeconds(3);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static ProcessSupervisor supervisor(PrintWriter err) {
    return new ProcessSupervisor(ProcessSupervisor.defaultHome(), err::println);
  }

  /** What to replay, where, and how: shared by run and start. */
  static final class Settings {
    @Option(names = "--kafka", required = true, paramLabel = "BOOTSTRAP", description = "Kafka bootstrap servers of the capture topic")
    String kafka;

    @Option(names = "--topic", defaultValue = "capture", description = "the capture topic (default: ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--group", defaultValue = "search-migrate-replay", description = "Kafka consumer group; offsets are "
        + "committed there once their requests were answered, and a new start resumes from them (default: ${DEFAULT-VALUE})")
    String group;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "a Kafka client setting (repeatable); a VALUE "
        + "of env:NAME or file:PATH is read from there")
    List<String> kafkaProperties = new ArrayList<>();

    @Mixin
    ClusterOptions.Target target;

    @Option(names = "--source-version", paramLabel = "VERSION", description = "the source's version (e.g. 6.8.23), for the "
        + "ES->OpenSearch request rewriting; or give --source URL to ask the source")
    String sourceVersion;

    @Mixin
    ClusterOptions.Source source;

    @Option(names = "--from", defaultValue = "earliest", description = "where a first start begins: earliest, latest or an "
        + "ISO-8601 time (later starts resume from the group's committed offsets) (default: ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--speedup", defaultValue = "1", description = "captured gaps between a connection's requests divided by "
        + "this factor, or max to send as fast as order allows (default: ${DEFAULT-VALUE}: the captured timing)")
    String speedup;

    @Option(names = "--noise-sample", paramLabel = "RATE", defaultValue = "0", description = "share (0 to 1) of read-only "
        + "requests sent to the target twice, both answers kept in the tuple: validate tuples learns from them what "
        + "differs between two answers of the target alone (noise) (default: ${DEFAULT-VALUE})")
    String noiseSample;

    @Option(names = "--rules", paramLabel = "FILE", description = "JSON file of rewrite rules (match method/path/header; "
        + "rewrite path, set or remove headers, drop)")
    Path rules;

    @Option(names = "--multi-type", defaultValue = "merge", description = "indices with several mapping types: merge or "
        + "split, as the metadata migration and backfill did (default: ${DEFAULT-VALUE})")
    String multiType;

    @Option(names = "--tuples", paramLabel = "DIR", description = "folder for the tuples, one JSON line per replayed request "
        + "(rotating NDJSON, gzip once rotated); or s3://bucket/prefix for the same parts as objects (with --s3-region/"
        + "--s3-endpoint); read them with ./migrate tuples show --in DIR")
    String tuples;

    @Option(names = "--tuples-topic", paramLabel = "TOPIC", description = "also send each tuple to this Kafka topic, one "
        + "JSON record keyed by connection id (secrets redacted as in the files), on the --kafka brokers unless "
        + "--tuples-kafka is given")
    String tuplesTopic;

    @Option(names = "--tuples-kafka", paramLabel = "BOOTSTRAP", description = "Kafka bootstrap servers for --tuples-topic "
        + "(default: --kafka, with its --kafka-property settings)")
    String tuplesKafka;

    @Option(names = "--dead-letter", paramLabel = "DIR", description = "folder (or s3://bucket/prefix) for dead letters (records "
        + "that do not decode, requests the target cannot take) (default: DIR/dead-letters of --tuples)")
    String deadLetter;

    @Mixin
    S3Flags s3;

    /**
     * Flink's mini-cluster by default: the DirectRunner's own scheduling loop holds an unbounded read to about 120
     * requests/s whatever the target takes, too slow to keep up with most live sources.
     */
    @Option(names = "--runner", defaultValue = "flink-local", description = "flink-local (Flink in this JVM), direct (the "
        + "DirectRunner: about 120 requests/s at most, for small tests) or flink (a streaming job on a session cluster, with "
        + "--flink-master) (default: ${DEFAULT-VALUE})")
    String runner;

    @Option(names = "--flink-master", paramLabel = "HOST:PORT", description = "with --runner flink: the session cluster's REST "
        + "address (./migrate flink start-local prints it); the job runs there until replay stop cancels it")
    String flinkMaster;

    @Option(names = "--parallelism", description = "parallel workers on Flink (default: the runner's)")
    Integer parallelism;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec command;

    @CommandLine.Unmatched
    List<String> pipelineOptions = new ArrayList<>();

    List<String> pipelineArgs() {
      String kind = runner.toLowerCase(Locale.ROOT);
      if (tuples == null && deadLetter == null) {
        throw new UserError("say where the replay writes: --tuples DIR (tuples, and dead letters in DIR/dead-letters) or "
            + "--dead-letter DIR");
      }
      List<String> args = new ArrayList<>(BackfillCommand.runnerArgs(runner, parallelism, flinkMaster(), false));
      if (kind.equals("direct")) {
        args.add("--blockOnRun=false");
      }
      args.addAll(List.of("--kafka=" + kafka, "--topic=" + topic, "--group=" + group, "--from=" + from,
          "--sourceVersion=" + sourceVersion(), "--speedup=" + speedup, "--multiType=" + multiType,
          "--noiseSample=" + noiseSample));
      args.addAll(target.pipelineArgs());
      for (String property : kafkaProperties) {
        KeyValueOptions.parse("--kafka-property", List.of(property)); // checked here; resolved where the consumer runs
        args.add("--kafkaProperty=" + property);
      }
      if (rules != null) {
        args.add("--rules=" + rules.toAbsolutePath());
      }
      args.addAll(s3.pipelineArgs());
      if (tuples != null) {
        args.add("--tuples=" + tuplesLocation());
      }
      if (tuplesKafka != null && tuplesTopic == null) {
        throw new UserError("--tuples-kafka says where --tuples-topic is: give --tuples-topic TOPIC too");
      }
      if (tuplesTopic != null) {
        args.add("--tuplesTopic=" + tuplesTopic);
      }
      if (tuplesKafka != null) {
        args.add("--tuplesKafka=" + tuplesKafka);
      }
      if (deadLetter != null) {
        args.add("--deadLetter=" + location(deadLetter, "--dead-letter"));
      }
      for (String option : pipelineOptions) {
        if (!option.startsWith("--") || !option.contains("=")) {
          throw new UserError("unknown argument '" + option + "'; pipeline options are written --name=value "
              + "(./migrate replay run --help lists the command's own flags)");
        }
        args.add(option);
      }
      return args;
    }

    /** --flink-master as typed, or from migration.yaml when the runner is flink (it is for that runner only). */
    String flinkMaster() {
      boolean typed = command != null && ConfigDefaults.typed(command, "--flink-master");
      return typed || runner.equalsIgnoreCase("flink") ? flinkMaster : null;
    }

    String sourceVersion() {
      if (sourceVersion != null) {
        return sourceVersion;
      }
      if (source.url == null) {
        throw new UserError("the replay rewrites requests for the source's version: give --source-version (e.g. 6.8.23) "
            + "or --source URL to ask the source");
      }
      return ClusterVersion.detect(ClusterClient.connect(source.endpoint())).toString();
    }

    Map<String, Object> kafkaConfig() {
      Map<String, Object> config = new HashMap<>(KeyValueOptions.parse("--kafka-property", kafkaProperties));
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
      return config;
    }

    /** The same settings as a command line for a background run (no secrets: passwords stay env/file references). */
    List<String> asArguments() {
      List<String> args = new ArrayList<>(List.of("--kafka", kafka, "--topic", topic, "--group", group, "--from", from,
          "--source-version", sourceVersion(), "--speedup", speedup, "--multi-type", multiType, "--runner", runner,
          "--noise-sample", noiseSample));
      kafkaProperties.forEach(p -> args.addAll(List.of("--kafka-property", p)));
      addIf(args, "--flink-master", flinkMaster());
      addIf(args, "--parallelism", parallelism == null ? null : parallelism.toString());
      args.addAll(List.of("--target", target.url));
      addIf(args, "--target-user", target.user);
      addIf(args, "--target-password-env", target.passwordEnv);
      addIf(args, "--target-password-file", target.passwordFile == null ? null : target.passwordFile.toAbsolutePath().toString());
      addIf(args, "--target-ca-cert", target.caCert == null ? null : target.caCert.toAbsolutePath().toString());
      if (target.insecure) {
        args.add("--target-insecure");
      }
      addIf(args, "--target-auth", target.auth);
      addIf(args, "--target-region", target.region);
      addIf(args, "--target-service", target.service);
      addIf(args, "--rules", rules == null ? null : rules.toAbsolutePath().toString());
      addIf(args, "--tuples", tuples == null ? null : tuplesLocation());
      addIf(args, "--tuples-topic", tuplesTopic);
      addIf(args, "--tuples-kafka", tuplesKafka);
      addIf(args, "--dead-letter", deadLetter == null ? null : location(deadLetter, "--dead-letter"));
      addIf(args, "--s3-region", s3.region);
      addIf(args, "--s3-endpoint", s3.endpoint);
      args.addAll(pipelineOptions);
      return args;
    }

    /** --tuples as the pipeline takes it: an absolute folder, or s3://bucket/prefix as given. */
    String tuplesLocation() {
      return location(tuples, "--tuples");
    }

    /** Where dead letters go, for the summary. */
    String deadLetterLocation() {
      return deadLetter != null ? location(deadLetter, "--dead-letter")
          : S3Uri.isS3(tuples) ? S3Uri.parse(tuples, "--tuples").describe("dead-letters")
          : Path.of(tuplesLocation()).resolve("dead-letters").toString();
    }

    private static String location(String folderOrS3, String flag) {
      return S3Uri.isS3(folderOrS3) ? folderOrS3 : LocalPaths.of(folderOrS3, flag).toAbsolutePath().toString();
    }

    private static void addIf(List<String> args, String flag, String value) {
      if (value != null) {
        args.addAll(List.of(flag, value));
      }
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, description = {
      "Replay in the foreground: progress every few seconds, a summary at the end.",
      "With --until-drained it ends once every captured request on the topic was answered (the lag is 0) and its tuple "
          + "written; otherwise it runs until interrupted (Ctrl-C or SIGTERM stop it gracefully: requests in flight are "
          + "answered and committed first)."})
  static final class Run implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Settings settings;

    @Option(names = "--until-drained", description = "end once the lag is 0 (for scripts and tests)")
    boolean untilDrained;

    @Option(names = "--progress-every", defaultValue = "5", description = "seconds between progress lines (default: ${DEFAULT-VALUE})")
    int progressEvery;

    @Option(names = "--status-file", hidden = true, description = "where a background run keeps its status (replay start)")
    Path statusFile;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter err = spec.commandLine().getErr();
      ReplayOptions options = RunnerPresets.parse(settings.pipelineArgs(), ReplayOptions.class);
      Map<String, Object> kafka = settings.kafkaConfig();
      Instant started = Instant.now();
      ReplayJob job = new ReplayJob(options, line -> {
        err.println(line);
        err.flush();
      });
      PipelineResult running = job.start();
      err.println("replaying topic '" + settings.topic + "' (group '" + settings.group + "') into " + options.getTarget()
          + (settings.tuples != null ? "; tuples in " + settings.tuplesLocation() : ""));
      err.flush();
      CountDownLatch finished = new CountDownLatch(1);
      AtomicBoolean stopping = new AtomicBoolean();
      Thread graceful = new Thread(() -> {
        stopping.set(true);
        try {
          finished.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "replay-stop");
      Runtime.getRuntime().addShutdownHook(graceful);
      ReplayProgress.Counts counts;
      long lag;
      String ending;
      ProgressLine progress = ProgressLine.on(err, "replay").counting("requests")
          .every(Duration.ofSeconds(Math.max(1, progressEvery)));
      boolean stopSeen = false;
      long stopDeadline = 0;
      try {
        while (true) {
          Thread.sleep(500);
          counts = job.counts(running);
          lag = ReplayProgress.lag(kafka, settings.topic, settings.group);
          writeStatus(counts, lag, true, started);
          long now = System.nanoTime();
          progress.update(counts.replayed(), 0, progressDetails(counts, lag));
          if (running.getState().isTerminal()) {
            ending = "the pipeline ended: " + running.getState();
            break;
          }
          boolean allWritten = counts.allWritten(settings.tuples != null);
          if (untilDrained && lag == 0 && allWritten) {
            ending = "drained: every captured request was answered and committed";
            break;
          }
          if (stopping.get()) {
            if (!stopSeen) {
              stopSeen = true;
              stopDeadline = now + STOP_DRAIN.toNanos();
            }
            if (lag == 0 && allWritten || now > stopDeadline) {
              ending = lag == 0 ? "stopped: every captured request was answered and committed"
                  : "stopped: what was answered is committed; the next start resumes from there";
              break;
            }
          }
        }
      } finally {
        counts = job.counts(running); // before the cancel: a Flink job's counters go with it
        try {
          running.cancel();
        } catch (IOException | RuntimeException e) {
          err.println("warning: the pipeline did not cancel cleanly: " + e.getMessage());
        }
        counts = max(counts, job.counts(running));
        lag = ReplayProgress.lag(kafka, settings.topic, settings.group);
        writeStatus(counts, lag, false, started);
        progress.finish(counts.replayed(), 0, progressDetails(counts, lag));
        finished.countDown();
      }
      if (!stopping.get()) {
        Runtime.getRuntime().removeShutdownHook(graceful);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(summary(counts, lag, started, ending, settings));
      out.flush();
      return ending.endsWith(PipelineResult.State.FAILED.toString()) ? Migrate.RUN_FAILED : 0;
    }

    /** The later of two readings: a job gone after its cancel reports zeros. */
    private static ReplayProgress.Counts max(ReplayProgress.Counts a, ReplayProgress.Counts b) {
      return b.replayed() >= a.replayed() && b.recordsRead() >= a.recordsRead() ? b : a;
    }

    private void writeStatus(ReplayProgress.Counts counts, long lag, boolean running, Instant started) {
      if (statusFile == null) {
        return;
      }
      ObjectNode status = Json.object();
      status.put("running", running);
      status.setAll(counts.toJson());
      status.put("lag", lag);
      status.put("topic", settings.topic);
      status.put("group", settings.group);
      status.put("runner", settings.runner.toLowerCase(Locale.ROOT));
      status.put("started", started.toString());
      status.put("updated", Instant.now().toString());
      if (settings.tuples != null) {
        status.put("tuples", settings.tuplesLocation());
      }
      if (settings.tuplesTopic != null) {
        status.put("tuples_topic", settings.tuplesTopic);
      }
      try {
        Path partial = statusFile.resolveSibling(statusFile.getFileName() + ".part");
        OwnerOnlyFiles.writeString(partial, Json.toPrettyString(status));
        Files.move(partial, statusFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // the next update tries again
      }
    }
  }

  /** What the replay's progress line adds to the requests replayed and their rate. */
  static String progressDetails(ReplayProgress.Counts c, long lag) {
    return String.format(Locale.ROOT, "lag %s records, %,d status mismatches, %,d dead-lettered, %,d incomplete",
        lag < 0 ? "?" : String.format(Locale.ROOT, "%,d", lag), c.mismatches(), c.deadLettered() + c.poisonRecords(),
        c.incomplete());
  }

  static String summary(ReplayProgress.Counts c, long lag, Instant started, String ending, Settings settings) {
    StringBuilder s = new StringBuilder();
    double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
    s.append(String.format(Locale.ROOT, "replay %s after %.1f s%n", ending, seconds));
    s.append(String.format(Locale.ROOT, "  requests replayed   %,d (status as the source's: %,d; mismatches: %,d)%n",
        c.replayed(), c.replayed() - c.mismatches(), c.mismatches()));
    s.append(String.format(Locale.ROOT, "  incomplete captures %,d (cut by a lost capture record: skipped, never guessed)%n",
        c.incomplete()));
    s.append(String.format(Locale.ROOT, "  dead-lettered       %,d%s%n", c.deadLettered() + c.poisonRecords(),
        c.deadLettered() + c.poisonRecords() == 0 ? "" : " (" + settings.deadLetterLocation() + ")"));
    s.append(String.format(Locale.ROOT, "  lag                 %s records not yet committed on '%s' (group '%s')%n",
        lag < 0 ? "?" : String.format(Locale.ROOT, "%,d", lag), settings.topic, settings.group));
    if (settings.tuples != null) {
      s.append("  tuples              ").append(settings.tuplesLocation())
          .append(" (./migrate tuples show --in ").append(settings.tuples).append(")");
    }
    if (settings.tuplesTopic != null) {
      s.append(String.format(Locale.ROOT, "%n  tuples topic        '%s' on %s", settings.tuplesTopic,
          settings.tuplesKafka != null ? settings.tuplesKafka : settings.kafka));
    }
    return s.toString().stripTrailing();
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description =
      "Replay in the background (the same options as run); returns once it consumes the topic.")
  static final class Start implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "name of this replay, for status and stop (default: ${DEFAULT-VALUE})")
    String name;

    @Mixin
    Settings settings;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      settings.pipelineArgs(); // every check a foreground run makes, before anything starts
      ProcessSupervisor supervisor = supervisor(err);
      supervisor.requireNotRunning(ProcessKind.REPLAY, name);
      Path dir = supervisor.dir(ProcessKind.REPLAY, name);
      Path log = dir.resolve("replay.log");
      Path status = dir.resolve(STATUS_FILE);
      Path argumentsFile = dir.resolve("replay.args");
      List<String> args = new ArrayList<>(List.of("replay", "run", "--status-file", status.toString()));
      args.addAll(settings.asArguments());
      try {
        Files.createDirectories(dir);
        Files.deleteIfExists(log);
        Files.deleteIfExists(status);
        OwnerOnlyFiles.writeString(argumentsFile, LocalProxies.argumentFile(args));
      } catch (IOException e) {
        throw new UserError("cannot prepare " + dir + ": " + e.getMessage(), e);
      }
      List<String> jvm = new ArrayList<>(List.of("-Xmx2g"));
      String root = System.getProperty("searchmigrate.projectRoot");
      if (root != null) {
        jvm.add("-Dsearchmigrate.projectRoot=" + root);
      }
      Process process = supervisor.startJava(ProcessKind.REPLAY, name, jvm, System.getProperty("java.class.path"),
          Migrate.class.getName(), List.of("@" + argumentsFile), log);
      Map<String, String> attributes = new LinkedHashMap<>();
      attributes.put("topic", settings.topic);
      attributes.put("group", settings.group);
      SupervisedProcess recorded = supervisor.record(new SupervisedProcess(ProcessKind.REPLAY, name, process.pid(),
          supervisor.javaMarker(ProcessKind.REPLAY, name), dir, log, settings.kafka, Map.of(), attributes));
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!Files.isRegularFile(status)) {
        if (!process.isAlive()) {
          throw new UserError("the replay exited during start-up (code " + process.exitValue() + ").\n--- " + log + "\n"
              + LocalProcesses.tail(log, 20));
        }
        if (System.nanoTime() > deadline) {
          supervisor.stop(recorded, Duration.ofSeconds(10));
          throw new UserError("the replay did not start consuming within " + START_TIMEOUT.toSeconds() + " s.\n--- " + log
              + "\n" + LocalProcesses.tail(log, 20));
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UserError("interrupted while starting the replay");
        }
      }
      spec.commandLine().getOut().println("replay '" + name + "' (pid " + process.pid() + ") consumes topic '" + settings.topic
          + "' on " + settings.kafka + "; ./migrate replay status, ./migrate replay stop; log " + log);
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description =
      "Where a replay started with start stands: running, requests replayed, lag, mismatches, dead letters.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "(default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--output", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    String output;

    @Override
    public Integer call() {
      ProcessSupervisor supervisor = supervisor(spec.commandLine().getErr());
      Optional<SupervisedProcess> found = supervisor.find(ProcessKind.REPLAY, name);
      if (found.isEmpty()) {
        throw new UserError("no replay named '" + name + "' was started here; start one with: ./migrate replay start "
            + "--kafka BOOTSTRAP --topic T --target URL --tuples DIR");
      }
      ObjectNode status = readStatus(found.get());
      status.put("running", found.get().isRunning());
      PrintWriter out = spec.commandLine().getOut();
      if (output.equalsIgnoreCase("json")) {
        out.println(Json.toPrettyString(status));
      } else {
        out.println("replay '" + name + "': " + (found.get().isRunning() ? "running (pid " + found.get().pid() + ")" : "not running")
            + ", topic '" + found.get().attribute("topic") + "', group '" + found.get().attribute("group") + "'");
        for (String key : List.of("replayed", "lag", "mismatches", "dead_lettered", "incomplete", "committed_records", "runner",
            "updated", "tuples")) {
          JsonNode value = status.get(key);
          if (value != null) {
            out.printf("  %-18s %s%n", key, value.asText());
          }
        }
        out.println("  log                " + found.get().log());
      }
      out.flush();
      return found.get().isRunning() ? 0 : Migrate.RUN_FAILED;
    }
  }

  static ObjectNode readStatus(SupervisedProcess process) {
    Path file = process.dir().resolve(STATUS_FILE);
    try {
      if (Files.isRegularFile(file)) {
        JsonNode node = Json.parse(Files.readString(file));
        if (node instanceof ObjectNode object) {
          return object;
        }
      }
    } catch (IOException | RuntimeException e) {
      // being rewritten: report what is known
    }
    return Json.object();
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description =
      "Stop a replay started with start gracefully: requests in flight are answered and committed first.")
  static final class Stop implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "(default: ${DEFAULT-VALUE})")
    String name;

    @Override
    public Integer call() {
      ProcessSupervisor supervisor = supervisor(spec.commandLine().getErr());
      SupervisedProcess process = supervisor.find(ProcessKind.REPLAY, name).orElseThrow(() -> new UserError("no replay named '"
          + name + "' was started here"));
      supervisor.stop(process, STOP_GRACE);
      ObjectNode status = readStatus(process);
      spec.commandLine().getOut().println("replay '" + name + "' stopped: " + status.path("replayed").asLong() + " requests "
          + "replayed, lag " + status.path("lag").asText("?") + " records; log " + process.log());
      return 0;
    }
  }
}
