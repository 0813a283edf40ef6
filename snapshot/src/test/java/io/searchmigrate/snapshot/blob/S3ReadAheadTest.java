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
  void loneReadsFetchTheirPageAReaderGoingForwardARunAndTheNextRunAhead() throws Exception {
    int page = S3BlobStore.PAGE_BYTES;
    byte[] object = randomBytes(3 * S3BlobStore.RUN_PAGES * page, 11);
    S3Uri root = uploaded("read-ahead", object);
    try (HttpFaultRelay relay = HttpFaultRelay.start(TestS3.endpoint(), (n, line) -> HttpFaultRelay.Fault.NONE);
        S3BlobStore store = S3BlobStore.open(root, S3Access.defaults().withEndpoint(relay.url()).withRegion(TestS3.REGION));
        RandomAccessBlob blob = store.open("blob")) {
      int opened = relay.requests(); // the bucket and the object's head

      assertArrayEquals(Arrays.copyOfRange(object, object.length - 16, object.length), read(blob, object.length - 16, 16));
      assertEquals(opened + 1, relay.requests(), "a footer: its page only");
      assertArrayEquals(Arrays.copyOfRange(object, 0, 1000), read(blob, 0, 1000));
      assertEquals(opened + 2, relay.requests(), "a header: its page only, nothing ahead");

      int inPage1 = page + 10; // follows page 0: a run of pages 1-16 in one request, nothing ahead yet (all within it)
      assertArrayEquals(Arrays.copyOfRange(object, inPage1, inPage1 + 1000), read(blob, inPage1, 1000));
      assertEquals(opened + 3, relay.requests(), "pages 1-16 in one request");
      int inPage10 = 10 * page + 10;
      assertArrayEquals(Arrays.copyOfRange(object, inPage10, inPage10 + 1000), read(blob, inPage10, 1000));

      // page 10 is within half a run of page 17, which is not here: its run is fetched in the background
      for (long until = System.nanoTime() + 10_000_000_000L; relay.requests() < opened + 4 && System.nanoTime() < until; ) {
        Thread.sleep(20);
      }
      assertEquals(opened + 4, relay.requests(), "pages 17-32 fetched ahead");
      int inPage17 = 17 * page + 100; // here by now, or on its way (the reader waits for it)
      int across = 33 * page - 500; // pages 32 and 33: the run ahead ended at 32
      assertArrayEquals(Arrays.copyOfRange(object, inPage17, inPage17 + 1000), read(blob, inPage17, 1000));
      assertEquals(opened + 4, relay.requests(), "page 17 served from what was fetched ahead");
      assertArrayEquals(Arrays.copyOfRange(object, across, across + 1000), read(blob, across, 1000));
      assertEquals(opened + 5, relay.requests(), "pages 33-46 (47 is here) in one request, fetched ahead or by the reader");
    }
  }

  @Test
  void aRangeReadOnceComesInPartsAtOnceAndIsNotCached() throws Exception {
    byte[] object = randomBytes(3 * S3BlobStore.ONCE_PART_BYTES + 1000, 12);
    S3Uri root = uploaded("read-once", object);
    try (HttpFaultRelay relay = HttpFaultRelay.start(TestS3.endpoint(), (n, line) -> HttpFaultRelay.Fault.NONE);
        S3BlobStore store = S3BlobStore.open(root, S3Access.defaults().withEndpoint(relay.url()).withRegion(TestS3.REGION));
        RandomAccessBlob blob = store.open("blob")) {
      int opened = relay.requests();
      ByteBuffer range = ByteBuffer.allocate(object.length - 600);
      blob.readOnce(100, range);
      assertArrayEquals(Arrays.copyOfRange(object, 100, object.length - 500), range.array(), "the parts in their order");
      assertEquals(opened + 3, relay.requests(), "three parts of at least ONCE_PART_BYTES, one GET each");

      assertArrayEquals(Arrays.copyOfRange(object, 200, 1200), read(blob, 200, 1000));
      assertEquals(opened + 4, relay.requests(), "nothing of the range read once was kept: the page is fetched");
    }
  }

  private static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** A fresh prefix of the test server holding {@code object} as its blob named "blob". */
  private static S3Uri uploaded(String name, byte[] object) {
    S3Uri root = S3Uri.parse(TestS3.freshPrefix(name), "--repo");
    try (S3Client s3 = TestS3.client()) {
      s3.putObject(b -> b.bucket(root.bucket()).key(root.key("blob")), RequestBody.fromBytes(object));
    }
    return root;
  }

  private static byte[] read(RandomAccessBlob blob, long position, int length) throws java.io.IOException {
    ByteBuffer target = ByteBuffer.allocate(length);
    blob.read(position, target);
    return target.array();
  }
}
