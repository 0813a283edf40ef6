package io.searchmigrate.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.snapshot.blob.FileSystemBlobStore;
import io.searchmigrate.snapshot.blob.RepositoryLocation;
import io.searchmigrate.snapshot.lucene.ShardReaders;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.ShardSnapshot;
import io.searchmigrate.snapshot.repository.SnapshotFormatException;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.testkit.Fixtures;
import io.searchmigrate.testkit.HttpFaultRelay;
import io.searchmigrate.testkit.HttpFaultRelay.Fault;
import io.searchmigrate.testkit.TestS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Snapshot repositories served by a real S3 API server (s3proxy, started by the launcher) read exactly as from the
 * filesystem: the fixture repositories are uploaded as plain objects, as a repository in S3 is.
 */
class S3RepositoryTest {
  private static final String BUCKET = "snapshot-fixtures";
  private static final List<String> FIXTURES = List.of("ES_5_6_Updates_Deletes", "ES_6_8_Single",
      "ES_6_8_Updates_Deletes_Native", "ES_7_10_Single", "ES_7_10_Updates_Deletes_w_Soft", "ES_7_10_Updates_Deletes_wo_Soft");

  @BeforeAll
  static void uploadFixtures() {
    TestS3.useServerCredentials();
    for (String fixture : FIXTURES) {
      TestS3.upload(Fixtures.snapshot(fixture), BUCKET, "repos/" + fixture);
    }
  }

  private static RepositoryLocation inS3(String prefix, String endpoint) {
    return RepositoryLocation.of("s3://" + BUCKET + "/" + prefix)
        .withS3(S3Access.defaults().withEndpoint(endpoint).withRegion(TestS3.REGION));
  }

  private static void assertSameDocuments(List<SourceDocument> expected, List<SourceDocument> actual) {
    assertEquals(expected.stream().map(SnapshotReading::key).toList(), actual.stream().map(SnapshotReading::key).toList());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i).source(), actual.get(i).source(), "source bytes of " + SnapshotReading.key(expected.get(i)));
    }
  }

  private static List<String> snapshotNames(RepositoryLocation location) throws IOException {
    try (SnapshotRepository repo = SnapshotRepository.open(location.open())) {
      return repo.snapshots().stream().map(RepositoryData.SnapshotEntry::name).toList();
    }
  }

  @Test
  void everyFixtureReadsTheSameFromS3AsFromTheFilesystem() throws IOException {
    for (String fixture : FIXTURES) {
      RepositoryLocation s3 = inS3("repos/" + fixture, TestS3.endpoint());
      List<String> snapshots = snapshotNames(s3);
      assertEquals(snapshotNames(RepositoryLocation.of(Fixtures.snapshot(fixture).toString())), snapshots, fixture);
      for (String snapshot : snapshots) {
        List<SourceDocument> fromFiles = SnapshotReading.read(new FileSystemBlobStore(Fixtures.snapshot(fixture)), snapshot);
        assertTrue(!fromFiles.isEmpty(), fixture + " holds documents");
        assertSameDocuments(fromFiles, SnapshotReading.read(s3.open(), snapshot));
      }
    }
  }

  @Test
  void connectionResetsMidBodyAndThrottlingStillYieldExactDocuments() {
    // requests 2, 6, 10, ... are throttled; ranged GETs 4, 8, 12, ... lose their connection halfway through the body
    try (HttpFaultRelay relay = HttpFaultRelay.start(TestS3.endpoint(), (n, requestLine) ->
        n % 4 == 2 ? Fault.SLOW_DOWN : n % 4 == 0 && requestLine.startsWith("GET ") ? Fault.CUT_BODY : Fault.NONE)) {
      // enough requests for many faults of each kind (shared windows and one-request checksum reads make few)
      for (String fixture : List.of("ES_7_10_Updates_Deletes_w_Soft", "ES_5_6_Updates_Deletes", "ES_7_10_Updates_Deletes_wo_Soft",
          "ES_6_8_Updates_Deletes_Native")) {
        List<SourceDocument> fromFiles = SnapshotReading.read(new FileSystemBlobStore(Fixtures.snapshot(fixture)), "rfs_snapshot");
        assertSameDocuments(fromFiles, SnapshotReading.read(inS3("repos/" + fixture, relay.url()).open(), "rfs_snapshot"));
      }
      assertTrue(relay.injected(Fault.SLOW_DOWN) > 10, "throttled " + relay.injected(Fault.SLOW_DOWN) + " times");
      assertTrue(relay.injected(Fault.CUT_BODY) > 10, "cut " + relay.injected(Fault.CUT_BODY) + " bodies");
    }
  }

  @Test
  void aBlobCorruptedInTheStoreIsNamed() throws IOException {
    String prefix = "corrupt/ES_7_10_Single";
    TestS3.upload(Fixtures.snapshot("ES_7_10_Single"), BUCKET, prefix);
    RepositoryLocation location = inS3(prefix, TestS3.endpoint());
    String damagedKey;
    try (SnapshotRepository repo = SnapshotRepository.open(location.open())) {
      RepositoryData.SnapshotEntry snap = repo.snapshot("global_state_snapshot");
      ShardSnapshot shard = repo.shard(snap, "posts_2024_01_01", 0);
      // the largest stored file of the shard: flip one byte in its middle, in the store
      var file = shard.files().stream().filter(f -> !f.isVirtual()).max((a, b) -> Long.compare(a.length(), b.length())).orElseThrow();
      Path local;
      try (Stream<Path> found = Files.walk(Fixtures.snapshot("ES_7_10_Single"))) {
        local = found.filter(p -> p.getFileName().toString().equals(file.blobName())).findFirst().orElseThrow();
      }
      byte[] bytes = Files.readAllBytes(local);
      bytes[bytes.length / 2] ^= 0x01;
      damagedKey = prefix + "/" + Fixtures.snapshot("ES_7_10_Single").relativize(local).toString();
      try (S3Client s3 = TestS3.client()) {
        s3.putObject(b -> b.bucket(BUCKET).key(damagedKey), RequestBody.fromBytes(bytes));
      }
      SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> ShardReaders.open(repo.blobs(), shard, null, true));
      assertTrue(e.getMessage().startsWith("Lucene file " + file.physicalName() + " of shard " + shard + " (blob s3://" + BUCKET + "/"
          + damagedKey + ") is corrupt: its content has CRC32 "), e.getMessage());
    }
  }

  @Test
  void missingBucketAndEmptyPrefixAreExplained() {
    UserError noBucket = assertThrows(UserError.class, () -> RepositoryLocation.of("s3://no-such-bucket/repo")
        .withS3(S3Access.defaults().withEndpoint(TestS3.endpoint()).withRegion(TestS3.REGION)).open());
    assertEquals("bucket 'no-such-bucket' does not exist at " + TestS3.endpoint() + "; check the bucket name in --repo and "
        + "--s3-endpoint", noBucket.getMessage());
    UserError empty = assertThrows(UserError.class, () -> SnapshotRepository.open(inS3("nothing-here", TestS3.endpoint()).open()));
    assertEquals("no snapshot repository at s3://" + BUCKET + "/nothing-here: expected an index-N file written by Elasticsearch "
        + "or OpenSearch; found an empty folder", empty.getMessage());
    UserError notABucket = assertThrows(UserError.class, () -> RepositoryLocation.of("s3://Bad_Bucket!/x").open());
    assertTrue(notABucket.getMessage().startsWith("--repo 's3://Bad_Bucket!/x' names no valid bucket"), notABucket.getMessage());
  }
}
