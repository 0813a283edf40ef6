package io.searchmigrate.pipelines.runners;

import io.searchmigrate.common.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;
import org.apache.beam.sdk.runners.PipelineRunnerRegistrar;

/**
 * Beam's own option parsing, with the per-runner presets of {@code runner-configs/} applied first: every pipeline
 * parses its {@code PipelineOptions} here, so {@code --runner=FlinkRunner --flinkMaster=host:8081 --parallelism=4}
 * and every other Beam or Flink option work as Beam users expect.
 *
 * <pre>{@code
 * BackfillOptions options = RunnerPresets.parse(args, BackfillOptions.class);
 * }</pre>
 *
 * <p>The preset is chosen by the runner the arguments name ({@code direct.options} for the DirectRunner, the
 * default; {@code flink-local.options} for the FlinkRunner on {@code [local]} or with no master; {@code flink.options}
 * for the FlinkRunner submitting to a cluster, {@code --flinkMaster=host:port}). A line of a preset may be meant for
 * one pipeline only, written {@code replay: --name=value} (the pipeline its options type names: {@code ReplayOptions}
 * is {@code replay}, {@code BackfillOptions} {@code backfill}, {@code ValidateOptions} {@code validate}); it replaces
 * the preset's line for every pipeline. An option given in the arguments replaces the preset's.
 */
public final class RunnerPresets {
  private RunnerPresets() {}

  /** Parses {@code args} (with the runner's preset first) into validated options of the given type. */
  public static <T extends PipelineOptions> T parse(List<String> args, Class<T> type) {
    useRegistry(presetName(args).equals("direct"));
    PipelineOptionsFactory.register(type);
    try {
      return PipelineOptionsFactory.fromArgs(withPresets(args, pipelineOf(type)).toArray(String[]::new)).withValidation()
          .as(type);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage().strip() + " (pipeline options are written --name=value; --help lists them)", e);
    }
  }

  /**
   * Beam's registrars of options and runners that a DirectRunner pipeline does not use: Flink's, and Google Cloud's
   * (which comes with Flink's runner). Beam checks every registered options interface against all the others when its
   * option parsing first starts, which cost about half a second of a backfill's start with these registered.
   */
  private static final Pattern NOT_FOR_THE_DIRECT_RUNNER =
      Pattern.compile(".*beam-(runners-flink|sdks-java-extensions-google-cloud-platform-core)[^/]*\\.jar!/.*");
  private static final List<String> REGISTRARS = List.of("META-INF/services/" + PipelineOptionsRegistrar.class.getName(),
      "META-INF/services/" + PipelineRunnerRegistrar.class.getName());
  /** Whether Beam's option registry leaves out {@link #NOT_FOR_THE_DIRECT_RUNNER}; null until this class set it up. */
  private static Boolean leanRegistry;

  /**
   * Sets Beam's options registry up for the runner about to be used: without the registrars the DirectRunner does not
   * need, or with all of them (loaded again when a Flink pipeline follows a direct one in the same JVM).
   */
  private static synchronized void useRegistry(boolean lean) {
    if (leanRegistry != null && (leanRegistry == lean || !leanRegistry)) {
      return; // the full registry serves every runner
    }
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    ClassLoader loader = before != null ? before : RunnerPresets.class.getClassLoader();
    if (lean) {
      thread.setContextClassLoader(new ClassLoader(loader) {
        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
          List<URL> found = Collections.list(super.getResources(name));
          if (REGISTRARS.contains(name)) {
            found.removeIf(url -> NOT_FOR_THE_DIRECT_RUNNER.matcher(url.toString()).matches());
          }
          return Collections.enumeration(found);
        }
      });
    }
    try {
      if (leanRegistry == null) {
        // Beam builds its registry when the factory class is first initialised, from the context class loader
        Class.forName(PipelineOptionsFactory.class.getName(), true, PipelineOptionsFactory.class.getClassLoader());
      } else {
        PipelineOptionsFactory.resetCache();
      }
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    } finally {
      thread.setContextClassLoader(before);
    }
    leanRegistry = lean;
  }

  /** The preset of the runner {@code args} choose, then {@code args}; an option in {@code args} replaces the preset's. */
  public static List<String> withPresets(List<String> args) {
    return withPresets(args, "");
  }

  /** As {@link #withPresets(List)}, with the preset's lines meant for {@code pipeline} ({@code replay: ...}) too. */
  public static List<String> withPresets(List<String> args, String pipeline) {
    Map<String, String> merged = new LinkedHashMap<>();
    for (String option : preset(presetName(args), pipeline)) {
      merged.put(name(option), option);
    }
    List<String> positional = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--")) {
        merged.remove(name(arg));
        merged.put(name(arg), arg);
      } else {
        positional.add(arg);
      }
    }
    List<String> all = new ArrayList<>(merged.values());
    all.addAll(positional);
    return all;
  }

  /** {@code direct}, {@code flink-local} or {@code flink}: which file under runner-configs/ applies. */
  static String presetName(List<String> args) {
    String runner = value(args, "runner", "DirectRunner");
    switch (runnerKind(runner)) {
      case "flink": {
        String master = value(args, "flinkMaster", "[local]");
        if (master.equals("[local]") || master.equals("[auto]")) {
          return "flink-local";
        }
        if (master.isBlank() || master.startsWith("[")) {
          throw new UserError("--flinkMaster=" + master + " is not a Flink cluster address; use host:port of its REST "
              + "endpoint (./migrate flink start-local prints it), or [local] for Flink's mini-cluster in this JVM");
        }
        return "flink";
      }
      case "direct":
        return "direct";
      default:
        throw new UserError("--runner=" + runner + " is not one this project ships; use DirectRunner or FlinkRunner");
    }
  }

  /**
   * The runner a {@code --runner} value names, as Beam reads it: a class name, simple or qualified, in any case, with
   * or without its "Runner" suffix ({@code DirectRunner}, {@code direct}, {@code org.apache.beam...FlinkRunner}).
   */
  private static String runnerKind(String runner) {
    String name = runner.substring(runner.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return name.endsWith("runner") ? name.substring(0, name.length() - "runner".length()) : name;
  }

  /** A preset line meant for one pipeline: {@code replay: --name=value}. */
  private static final Pattern SCOPED = Pattern.compile("([a-z]+):\\s*(.*)");

  /** What {@code ${cores}} stands for in a preset: this machine's cores, at least 2 (workers also wait on I/O). */
  static final String CORES = "${cores}";

  /** The pipeline an options type is for: {@code ReplayOptions} is {@code replay}. */
  static String pipelineOf(Class<? extends PipelineOptions> type) {
    String name = type.getSimpleName();
    return (name.endsWith("Options") ? name.substring(0, name.length() - "Options".length()) : name)
        .toLowerCase(Locale.ROOT);
  }

  /**
   * The options of {@code runner-configs/<name>.options} for {@code pipeline}: one per line, '#' comments,
   * {@code ${cores}} replaced; lines meant for one pipeline ({@code replay: --name=value}) after the others.
   */
  static List<String> preset(String name, String pipeline) {
    String resource = "runner-configs/" + name + ".options";
    try (InputStream in = RunnerPresets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the class path; the runner-configs module is missing from the build");
      }
      List<String> options = new ArrayList<>();
      List<String> forThePipeline = new ArrayList<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String option = line.strip();
        if (option.isEmpty() || option.startsWith("#")) {
          continue;
        }
        List<String> into = options;
        Matcher scoped = SCOPED.matcher(option);
        if (scoped.matches()) {
          if (!scoped.group(1).equals(pipeline)) {
            continue;
          }
          into = forThePipeline;
          option = scoped.group(2);
        }
        if (!option.startsWith("--")) {
          throw new IllegalStateException(resource + ": '" + line.strip() + "' is not an option (--name=value, or "
              + "pipeline: --name=value)");
        }
        into.add(option.replace(CORES, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors()))));
      }
      options.addAll(forThePipeline);
      return options;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String value(List<String> args, String option, String otherwise) {
    String result = otherwise;
    for (String arg : args) {
      if (arg.startsWith("--" + option + "=")) {
        result = arg.substring(option.length() + 3);
      }
    }
    return result;
  }

  private static String name(String option) {
    int equals = option.indexOf('=');
    return equals < 0 ? option.substring(2) : option.substring(2, equals);
  }
}
