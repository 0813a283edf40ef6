package io.searchmigrate.console;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.launcher.ClusterRequest;
import io.searchmigrate.launcher.Distribution;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalClusters;
import io.searchmigrate.launcher.ProcessSupervisor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code migrate clusters ...}: real test clusters on this machine, started from Maven Central. */
@Command(name = "clusters", description = "Provision, list and stop local Elasticsearch/OpenSearch clusters; check, inspect "
    + "and load the source and target.",
    subcommands = {ClustersCommand.Provision.class, ClustersCommand.Stop.class, ClustersCommand.ListClusters.class,
        ClustersCommand.LoadSample.class, ClusterToolsCommand.Check.class, ClusterToolsCommand.CatIndices.class,
        ClusterToolsCommand.Curl.class, ClusterToolsCommand.ClearIndices.class, ClusterToolsCommand.GenerateData.class})
final class ClustersCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static LocalClusters clusters(PrintWriter err) {
    return new LocalClusters(ProcessSupervisor.defaultHome(), line -> err.println(line));
  }

  @Command(name = "provision", description = {
      "Download, configure and start a single-node cluster on 127.0.0.1, and wait until it is healthy.",
      "Known to work: Elasticsearch 5.6.16, 6.8.23, 7.10.2, 7.17.29, 8.15.0, 8.19.4; OpenSearch 1.3.20, 2.19.1, 3.1.0."})
  static final class Provision implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--distribution", required = true, description = "elasticsearch (es) or opensearch (os)")
    String distribution;

    @Option(names = "--version", required = true, description = "e.g. 7.10.2")
    String version;

    @Option(names = "--port", description = "HTTP port (default: the first free one from 19200)")
    int port;

    @Option(names = "--name", description = "cluster name (default: es-<version> or os-<version>)")
    String name;

    @Option(names = "--path-repo", description = "the cluster's path.repo, where filesystem snapshot repositories may live "
        + "(default: under the launcher's cache, printed)")
    Path pathRepo;

    @Option(names = "--with-modules", description = "OpenSearch 2.19.x: add analysis-common, mapper-extras, parent-join, "
        + "reindex, lang-painless and ingest-common, assembled from their Maven jars")
    boolean withModules;

    @Option(names = "--heap", defaultValue = "512m", description = "JVM heap (default: ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--start-timeout", defaultValue = "240", description = "seconds to wait for health (default: ${DEFAULT-VALUE})")
    int startTimeoutSeconds;

    @Override
    public Integer call() {
      ClusterRequest request = ClusterRequest.of(Distribution.parse(distribution), version).withPort(port).withName(name)
          .withPathRepo(pathRepo).withModules(withModules).withHeap(heap)
          .withStartTimeout(Duration.ofSeconds(startTimeoutSeconds));
      LocalCluster cluster = clusters(spec.commandLine().getErr()).provision(request);
      PrintWriter out = spec.commandLine().getOut();
      out.println(cluster.url());
      return 0;
    }
  }

  @Command(name = "stop", description = "Stop a cluster started by provision (by its recorded PID).")
  static final class Stop implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", required = true)
    String name;

    @Override
    public Integer call() {
      LocalClusters clusters = clusters(spec.commandLine().getErr());
      if (clusters.stop(name).isEmpty()) {
        List<String> known = clusters.list().stream().map(LocalCluster::name).toList();
        throw new UserError("no cluster named '" + name + "'; known clusters: " + known);
      }
      return 0;
    }
  }

  @Command(name = "load-sample", description = "Load the sample dataset (logs, products, users; updates and deletes) into a cluster.")
  static final class LoadSample implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ClusterOptions.Source source;

    @Option(names = "--docs", defaultValue = "60000", description = "documents before deletes (default: ${DEFAULT-VALUE})")
    int documents;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      new SampleData(ClusterClient.connect(source.endpoint()), err::println).load(documents)
          .forEach((index, count) -> spec.commandLine().getOut().println(index + " " + count));
      return 0;
    }
  }

  @Command(name = "list", description = "List the clusters started by provision.")
  static final class ListClusters implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<LocalCluster> all = clusters(spec.commandLine().getErr()).list();
      if (all.isEmpty()) {
        out.println("no clusters (start one with: ./migrate clusters provision --distribution opensearch --version 2.19.1)");
        return 0;
      }
      String format = "%-22s %-16s %-8s %-24s %-8s %-8s %s%n";
      out.printf(format, "NAME", "DISTRIBUTION", "VERSION", "URL", "PID", "STATE", "PATH.REPO");
      for (LocalCluster c : all) {
        out.printf(format, c.name(), c.distribution().id() + (c.withModules() ? "+mods" : ""), c.version(), c.url(),
            c.pid(), c.isRunning() ? "running" : "stopped", c.pathRepo());
      }
      return 0;
    }
  }
}
