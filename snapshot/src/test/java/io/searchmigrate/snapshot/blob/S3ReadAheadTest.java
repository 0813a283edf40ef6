package io.searchmigrate.snapshot.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.snapshot.s3.S3Uri;
import io.searchmigrate.testkit.HttpFaultRelay;
import io.searchmigrate.testkit.TestS3;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Against a real S3 API server (s3proxy), every request counted by a relay in front of it. */
class S3ReadAheadTest {
  @Test
  void aReaderPastTheMiddleOfAWindowFindsTheNextOneFetchedAlready() throws Exception {
    String location = TestS3.freshPrefix("read-ahead");
    S3Uri root = S3Uri.parse(location, "--repo");
    byte[] object = new byte[3 * S3BlobStore.WINDOW_BYTES];
    new Random(11).nextBytes(object);
    try (S3Client s3 = TestS3.client()) {
      s3.putObject(b -> b.bucket(root.bucket()).key(root.key("blob")), RequestBody.fromBytes(object));
    }
    try (HttpFaultRelay relay = HttpFaultRelay.start(TestS3.endpoint(), (n, line) -> HttpFaultRelay.Fault.NONE);
        S3BlobStore store = S3BlobStore.open(root, S3Access.defaults().withEndpoint(relay.url()).withRegion(TestS3.REGION));
        RandomAccessBlob blob = store.open("blob")) {
      int opened = relay.requests(); // the bucket and the object's head

      assertArrayEquals(Arrays.copyOfRange(object, 0, 1000), read(blob, 0, 1000));
      assertEquals(opened + 1, relay.requests(), "window 0 only, its first half read: nothing ahead");

      int pastMiddle = S3BlobStore.WINDOW_BYTES / 2 + 10;
      assertArrayEquals(Arrays.copyOfRange(object, pastMiddle, pastMiddle + 1000), read(blob, pastMiddle, 1000));
      for (long until = System.nanoTime() + 10_000_000_000L; relay.requests() < opened + 2 && System.nanoTime() < until; ) {
        Thread.sleep(20);
      }
      assertEquals(opened + 2, relay.requests(), "window 1 fetched ahead once the reader passed window 0's middle");

      int inWindow1 = S3BlobStore.WINDOW_BYTES + 100; // in the cache by now, or on its way (the reader waits for it)
      assertArrayEquals(Arrays.copyOfRange(object, inWindow1, inWindow1 + 1000), read(blob, inWindow1, 1000));
      assertEquals(opened + 2, relay.requests(), "window 1 served from what was fetched ahead: no request of its own");
    }
  }

  private static byte[] read(RandomAccessBlob blob, long position, int length) throws java.io.IOException {
    ByteBuffer target = ByteBuffer.allocate(length);
    blob.read(position, target);
    return target.array();
  }
}
