package io.searchmigrate.console;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.metadata.SourceMetadata;
import io.searchmigrate.metadata.LiveMetadata;
import io.searchmigrate.snapshot.repository.SnapshotMetadata;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import java.io.Closeable;
import java.io.IOException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where metadata comes from: {@code --repo PATH --snapshot NAME}, or a live {@code --source URL}. */
final class SourceChoice implements Closeable {
  @Option(names = "--repo", description = "snapshot repository folder or s3://bucket/prefix (with --snapshot)")
  String repo;

  @Mixin
  S3Flags s3;

  @Option(names = "--snapshot", description = "snapshot name (with --repo)")
  String snapshot;

  @Mixin
  ClusterOptions.Source source;

  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec mixee;

  private SnapshotRepository opened;

  SourceMetadata open() {
    boolean fromSnapshot = repo != null || snapshot != null;
    if (fromSnapshot && source.url != null && mixee != null) {
      // both configured: what was typed wins; with nothing typed, the configured snapshot (the migration's fixed point)
      boolean sourceTyped = ConfigDefaults.typed(mixee, "--source");
      boolean snapshotTyped = ConfigDefaults.typed(mixee, "--repo") || ConfigDefaults.typed(mixee, "--snapshot");
      if (sourceTyped && !snapshotTyped) {
        repo = null;
        snapshot = null;
        fromSnapshot = false;
      } else if (!sourceTyped) {
        source.url = null;
      }
    }
    if (fromSnapshot == (source.url != null)) {
      throw new UserError("give either --repo PATH --snapshot NAME (read a snapshot) or --source URL (read a live cluster), not "
          + (fromSnapshot ? "both" : "neither"));
    }
    if (fromSnapshot) {
      if (repo == null || snapshot == null) {
        throw new UserError("--repo and --snapshot go together");
      }
      opened = SnapshotRepository.open(s3.repository(repo).open());
      return SnapshotMetadata.of(opened, snapshot);
    }
    return new LiveMetadata(ClusterClient.connect(source.endpoint()));
  }

  @Override
  public void close() throws IOException {
    if (opened != null) {
      opened.close();
    }
  }
}
