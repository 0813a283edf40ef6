package io.searchmigrate.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.UserError;
import io.searchmigrate.snapshot.blob.FileSystemBlobStore;
import io.searchmigrate.snapshot.blob.Repositories;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.ShardSnapshot;
import io.searchmigrate.snapshot.repository.SnapshotFormatException;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import io.searchmigrate.snapshot.repository.FileInfo;
import io.searchmigrate.testkit.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged or wrong input gets an error that names the file and says what to do. */
class BadRepositoryTest {
  @TempDir
  Path temp;

  /** A scratch copy of a fixture (the fixtures themselves are read in place and never modified). */
  private Path copyOf(String fixture) throws IOException {
    Path source = Fixtures.snapshot(fixture);
    Path target = temp.resolve(fixture);
    try (Stream<Path> files = Files.walk(source)) {
      files.sorted(Comparator.naturalOrder()).forEach(p -> {
        try {
          Files.copy(p, target.resolve(source.relativize(p).toString()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return target;
  }

  private static void flipOneByte(Path file, long position) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) position] ^= 0x01;
    Files.write(file, bytes);
  }

  @Test
  void corruptedMetadataBlobIsNamed() throws IOException {
    Path repo = copyOf("ES_7_10_Single");
    Path snapInfo;
    try (Stream<Path> files = Files.list(repo)) {
      snapInfo = files.filter(p -> p.getFileName().toString().startsWith("snap-")).findFirst().orElseThrow();
    }
    flipOneByte(snapInfo, Files.size(snapInfo) / 2);
    try (SnapshotRepository repository = SnapshotRepository.open(new FileSystemBlobStore(repo))) {
      RepositoryData.SnapshotEntry snap = repository.snapshot("global_state_snapshot");
      SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> repository.snapshotInfo(snap));
      assertTrue(e.getMessage().startsWith("snapshot metadata blob " + snapInfo + " is corrupt: its checksum does not match"),
          e.getMessage());
      assertTrue(e.getMessage().contains("take a new snapshot"), e.getMessage());
    }
  }

  @Test
  void corruptedLuceneBlobIsNamed() throws IOException {
    Path repo = copyOf("ES_6_8_Updates_Deletes_Native");
    String blobPath;
    try (SnapshotRepository repository = SnapshotRepository.open(new FileSystemBlobStore(repo))) {
      RepositoryData.SnapshotEntry snap = repository.snapshot("rfs_snapshot");
      ShardSnapshot shard = repository.shard(snap, "test_updates_deletes", 0);
      // the biggest uploaded file: a compound segment holding the stored documents
      FileInfo stored = shard.files().stream().filter(f -> !f.isVirtual())
          .max(Comparator.comparingLong(FileInfo::length)).orElseThrow();
      blobPath = shard.folder() + "/" + stored.blobName();
    }
    Path blob = repo.resolve(blobPath);
    flipOneByte(blob, Files.size(blob) / 2);
    SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> SnapshotReading.read(repo, "rfs_snapshot"));
    assertTrue(e.getMessage().contains("(blob " + blob + ")") && e.getMessage().contains("is corrupt"), e.getMessage());
  }

  @Test
  void unknownSnapshotListsTheSnapshotsPresent() throws IOException {
    try (SnapshotRepository repository = SnapshotRepository.open(Repositories.open(Fixtures.snapshot("ES_7_10_Single").toString()))) {
      UserError e = assertThrows(UserError.class, () -> repository.snapshot("no-such-snapshot"));
      assertEquals("snapshot 'no-such-snapshot' not found in repository " + Fixtures.snapshot("ES_7_10_Single")
          + "; snapshots there: [global_state_snapshot]", e.getMessage());
    }
  }

  @Test
  void missingOrEmptyRepositoryFolder() throws IOException {
    UserError missing = assertThrows(UserError.class, () -> Repositories.open(temp.resolve("nope").toString()));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    Files.createDirectories(temp.resolve("empty"));
    UserError empty = assertThrows(UserError.class, () -> SnapshotRepository.open(Repositories.open(temp.resolve("empty").toString())));
    assertEquals("no snapshot repository at " + temp.resolve("empty") + ": expected an index-N file written by "
        + "Elasticsearch or OpenSearch; found an empty folder", empty.getMessage());
  }
}
