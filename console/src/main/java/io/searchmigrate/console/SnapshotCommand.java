package io.searchmigrate.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.ProgressLine;
import io.searchmigrate.common.Selection;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.pipelines.opensearch.OpenSearchRead;
import io.searchmigrate.snapshot.lucene.ShardDocumentReader;
import io.searchmigrate.snapshot.lucene.ShardReaders;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotInfo;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import io.searchmigrate.snapshot.creation.SnapshotCreator;
import io.searchmigrate.snapshot.creation.SnapshotProgress;
import io.searchmigrate.snapshot.s3.S3Uri;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code migrate snapshot ...}: take snapshots on the source, and look inside repositories. */
@Command(name = "snapshot", description = "Create snapshots on the source; list and dump snapshot repositories.",
    subcommands = {SnapshotCommand.Create.class, SnapshotCommand.Status.class, SnapshotCommand.ListSnapshots.class,
        SnapshotCommand.Dump.class})
final class SnapshotCommand implements Runnable {
  static final String DEFAULT_REPOSITORY_NAME = "migration_repo";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "create", description = {"Register a repository on the source and take a snapshot there.",
      "The repository is a folder on the source's file system (--repo-path, under path.repo) or s3://bucket/prefix "
          + "(--repo, with --s3-region/--s3-endpoint; the source needs the repository-s3 plugin and its own S3 credentials)."})
  static final class Create implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterOptions.Source source;

    @Option(names = "--repo-path", description = "repository folder on the source's file system; "
        + "must be under the source's path.repo")
    String repoPath;

    @Option(names = "--repo", paramLabel = "s3://BUCKET/PREFIX", description = "an S3 repository instead of --repo-path")
    String repo;

    @Mixin
    S3Flags s3;

    @Option(names = "--repo-name", defaultValue = DEFAULT_REPOSITORY_NAME, description = "repository name on the source (default: ${DEFAULT-VALUE})")
    String repoName;

    @Option(names = "--snapshot", required = true)
    String snapshot;

    @Option(names = "--indices", split = ",", description = "indices to include (default: all)")
    List<String> indices = new ArrayList<>();

    @Option(names = "--wait", description = "wait until the snapshot ends, showing progress")
    boolean await;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      if ((repoPath == null) == (repo == null)) {
        throw new UserError("give the repository once: --repo-path DIR (a folder on the source) or --repo s3://bucket/prefix");
      }
      ClusterClient client = ClusterClient.connect(source.endpoint());
      ClusterVersion version = ClusterVersion.detect(client);
      SnapshotCreator snapshots = new SnapshotCreator(client, repoName);
      String where = repoPath;
      if (repo != null) {
        S3Uri location = S3Uri.parse(repo, "--repo");
        snapshots.registerS3Repository(location, s3.access());
        where = location.toString();
      } else {
        snapshots.registerFilesystemRepository(repoPath);
      }
      err.println("registered repository '" + repoName + "' at " + where + " on " + client.endpoint().url() + " (" + version + ")");
      MigrationState state = MigrationState.of(ConfigCommand.config(spec));
      state.recordRepository(client.endpoint().url(), repoName, where); // for ./migrate reset
      List<String> closed = closedIndicesLeftOut(client, indices);
      if (!closed.isEmpty()) { // a snapshot leaves closed indices out unless named: nothing after it would say so
        err.println("warning: closed on the source, so not in this snapshot and not migrated: " + String.join(", ", closed)
            + "; open " + (closed.size() == 1 ? "it" : "them") + " (POST /" + String.join(",", closed) + "/_open) and snapshot again "
            + "to migrate " + (closed.size() == 1 ? "it" : "them"));
      }
      snapshots.create(snapshot, indices);
      state.recordSnapshot(client.endpoint().url(), repoName, snapshot);
      err.println("started snapshot '" + snapshot + "'");
      SnapshotProgress last;
      if (await) {
        ProgressLine progress = ProgressLine.on(err, "snapshot").countingBytes();
        last = snapshots.waitFor(snapshot, Duration.ofSeconds(1), p -> progress.update(p.bytesDone(), p.bytesTotal(), shards(p)));
        progress.finish(last.bytesDone(), last.bytesTotal(), shards(last));
      } else {
        last = snapshots.status(snapshot);
      }
      spec.commandLine().getOut().println(last.describe());
      return 0;
    }
  }

  /**
   * The closed indices the snapshot leaves out: those the selection matches but does not name. A warning only, so a
   * source that will not list its indices (a user without the right) just goes without it.
   */
  private static List<String> closedIndicesLeftOut(ClusterClient client, List<String> indices) {
    try {
      return OpenSearchRead.closedIndices(client, Selection.ofIndices(indices)).stream()
          .filter(index -> !indices.contains(index)).toList();
    } catch (RuntimeException cannotList) {
      return List.of();
    }
  }

  /** What a snapshot's progress line adds to bytes: its shards and state. */
  static String shards(SnapshotProgress p) {
    return "shards " + p.shardsDone() + "/" + p.shardsTotal() + " done (" + p.shardsFailed() + " failed), " + p.state();
  }

  @Command(name = "status", description = "Show a snapshot's state, shards done of total, bytes and rate.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterOptions.Source source;

    @Option(names = "--repo-name", defaultValue = DEFAULT_REPOSITORY_NAME, description = "repository name on the source (default: ${DEFAULT-VALUE})")
    String repoName;

    @Option(names = "--snapshot", required = true)
    String snapshot;

    @Override
    public Integer call() {
      SnapshotCreator snapshots = new SnapshotCreator(ClusterClient.connect(source.endpoint()), repoName);
      SnapshotProgress progress = snapshots.status(snapshot);
      spec.commandLine().getOut().println(progress.describe());
      return "FAILED".equals(progress.state()) || "PARTIAL".equals(progress.state()) ? Migrate.RUN_FAILED : 0;
    }
  }

  @Command(name = "list", description = "List the snapshots of a repository, with their indices, shards and document counts.")
  static final class ListSnapshots implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--repo", required = true, description = "repository folder or s3://bucket/prefix")
    String repo;

    @Mixin
    S3Flags s3;

    @Option(names = "--no-doc-counts", description = "skip counting documents (opens every shard's commit)")
    boolean noDocCounts;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      try (SnapshotRepository repository = SnapshotRepository.open(s3.repository(repo).open())) {
        out.println("repository " + repository.blobs().describe("") + " (generation " + repository.data().generation() + ")");
        for (RepositoryData.SnapshotEntry snap : repository.snapshots()) {
          SnapshotInfo info = repository.snapshotInfo(snap);
          out.printf("snapshot %s: %s, written by %s, started %s, %d/%d shards%n", snap.name(), info.state(),
              info.versionLabel(), info.startTime() > 0 ? Instant.ofEpochMilli(info.startTime()) : "?",
              info.successfulShards(), info.totalShards());
          out.printf("  %-40s %6s %12s %12s%n", "INDEX", "SHARDS", "DOCS", "BYTES");
          for (String index : repository.indices(snap)) {
            IndexMetadata meta = repository.indexMetadata(snap, index);
            long docs = 0;
            long bytes = 0;
            for (int shard = 0; shard < meta.numberOfShards(); shard++) {
              var shardSnapshot = repository.shard(snap, index, shard);
              bytes += shardSnapshot.totalBytes();
              if (!noDocCounts) {
                try (ShardDocumentReader reader = ShardReaders.open(repository.blobs(), shardSnapshot, null, false)) {
                  docs += reader.liveDocs();
                }
              }
            }
            out.printf("  %-40s %6d %12s %12d%n", index, meta.numberOfShards(), noDocCounts ? "-" : Long.toString(docs), bytes);
          }
        }
        if (!noDocCounts) {
          out.println("(DOCS counts live Lucene documents, nested children included)");
        }
      }
      return 0;
    }
  }

  @Command(name = "dump", description = {"Print every live document of a snapshot, one JSON object per line.",
      "Each line: {\"index\":..,\"id\":..,\"type\":..(Elasticsearch 5 only),\"routing\":..(when set),\"source\":{..}}"})
  static final class Dump implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--repo", required = true, description = "repository folder or s3://bucket/prefix")
    String repo;

    @Mixin
    S3Flags s3;

    @Option(names = "--snapshot", required = true)
    String snapshot;

    @Option(names = {"--indices", "--index"}, split = ",", description = "indices (names, * patterns or regex:...; "
        + "default: all but system indices, as every other step chooses them)")
    List<String> indices = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      try (SnapshotRepository repository = SnapshotRepository.open(s3.repository(repo).open())) {
        RepositoryData.SnapshotEntry snap = repository.snapshot(snapshot);
        List<String> names = repository.indices(snap, Selection.ofIndices(indices));
        for (String name : names) {
          IndexMetadata meta = repository.indexMetadata(snap, name);
          String defaultType = meta.mappingsByType().size() == 1 ? meta.mappingsByType().keySet().iterator().next() : null;
          for (int shard = 0; shard < meta.numberOfShards(); shard++) {
            try (ShardDocumentReader reader = ShardReaders.open(repository.blobs(), repository.shard(snap, name, shard), defaultType, true)) {
              reader.read(0, reader.maxDoc(), doc -> out.println(line(doc)));
            }
          }
        }
      }
      out.flush();
      return 0;
    }

    static String line(SourceDocument doc) {
      ObjectNode line = Json.object().put("index", doc.index()).put("id", doc.id());
      if (doc.type() != null) {
        line.put("type", doc.type());
      }
      if (doc.routing() != null) {
        line.put("routing", doc.routing());
      }
      if (doc.hasSource()) {
        try {
          line.set("source", Json.parseXContent(doc.source()));
        } catch (IOException e) {
          throw new UserError("document " + doc + " has a source that is not valid JSON/SMILE/CBOR/YAML: " + e.getMessage());
        }
      } else {
        line.putNull("source");
      }
      return Json.toString(line);
    }
  }
}
