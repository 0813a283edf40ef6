package io.searchmigrate.pipelines.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Gives Flink's in-JVM mini-cluster ({@code --flinkMaster=[local]}) a known REST address, so a job's progress can be
 * read while it runs ({@link FlinkStepCounters}). The mini-cluster otherwise binds its REST endpoint to a random port.
 *
 * <pre>{@code
 * try (LocalFlinkRest rest = LocalFlinkRest.configure(options).orElse(null)) { ... rest.url() ... pipeline.run(); }
 * }</pre>
 *
 * <p>It writes a one-off Flink configuration folder (REST port, a 2-second metric refresh) and points
 * {@code --flinkConfDir} at it; closing deletes it. A user's own configuration ({@code --flinkConfDir} or
 * {@code FLINK_CONF_DIR}) is left alone, and then there are no live progress lines.
 */
public final class LocalFlinkRest implements AutoCloseable {
  private final Path confDir;
  private final String url;

  private LocalFlinkRest(Path confDir, String url) {
    this.confDir = confDir;
    this.url = url;
  }

  /** Configures the options when they run on Flink's mini-cluster with no configuration folder of the user's. */
  public static Optional<LocalFlinkRest> configure(PipelineOptions options) {
    if (options.getRunner() != FlinkRunner.class) {
      return Optional.empty();
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String master = flink.getFlinkMaster();
    if (!(master.equals("[local]") || master.equals("[auto]")) || flink.getFlinkConfDir() != null
        || System.getenv("FLINK_CONF_DIR") != null) {
      return Optional.empty();
    }
    try {
      int port = freePort();
      Path dir = Files.createTempDirectory("searchmigrate-flink-conf-");
      Files.writeString(dir.resolve("config.yaml"), String.join("\n",
          "# written for one run by search-migrate, deleted when it ends",
          "rest.bind-address: 127.0.0.1",
          "rest.address: 127.0.0.1",
          "rest.bind-port: \"" + port + "\"",
          "metrics.fetcher.update-interval: 2000",
          ""));
      flink.setFlinkConfDir(dir.toString());
      return Optional.of(new LocalFlinkRest(dir, "http://127.0.0.1:" + port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return url;
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(confDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a few bytes left in the temporary folder
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
