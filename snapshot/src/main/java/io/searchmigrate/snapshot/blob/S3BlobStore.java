package io.searchmigrate.snapshot.blob;

import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.snapshot.s3.S3Calls;
import io.searchmigrate.snapshot.s3.S3Uri;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A snapshot repository in S3 (Elasticsearch's {@code s3} type, or any repository's files copied under a prefix),
 * read in place with ranged GETs: nothing is copied to local disk. Objects are read in windows of up to
 * {@value #WINDOW_BYTES} bytes kept in one bounded cache for the whole JVM ({@link WindowCache}, {@value #CACHE_MB} MB),
 * so Lucene's small sequential reads become few large requests, and a window one reader fetched serves every other
 * reader of the same object: a backfill's slices of one shard, read in turn by several threads, each with its own
 * Lucene reader, used to fetch their shared windows again (twice the shard's bytes in all, measured). A reader past
 * the middle of a window has the next one fetched in the background (at most {@value #READ_AHEADS} at once per JVM),
 * so a sequential read rarely waits for a request. Every request is retried as {@link S3Calls} says.
 *
 * <pre>{@code
 * BlobStore blobs = S3BlobStore.open(S3Uri.parse("s3://backups/es", "--repo"), S3Access.defaults().withRegion("eu-west-1"));
 * }</pre>
 */
public final class S3BlobStore implements BlobStore {
  static final int WINDOW_BYTES = 1 << 20;
  static final int CACHE_MB = 32;
  private static final WindowCache WINDOWS = new WindowCache((long) CACHE_MB << 20);
  /** Windows fetched ahead of their readers at once, in this JVM (each holds one window's bytes while it runs). */
  static final int READ_AHEADS = 4;
  private static final Semaphore READ_AHEAD_PERMITS = new Semaphore(READ_AHEADS);
  private static final Map<WindowCache.Key, CompletableFuture<byte[]>> IN_FLIGHT = new ConcurrentHashMap<>();
  private static final Executor READ_AHEAD = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "s3-read-ahead");
    thread.setDaemon(true);
    return thread;
  });

  private final S3Uri root;
  private final S3Access access;
  private final S3Client s3;

  private S3BlobStore(S3Uri root, S3Access access, S3Client s3) {
    this.root = root;
    this.access = access;
    this.s3 = s3;
  }

  /** Opens the repository under {@code root}, checking first that the bucket can be reached with these credentials. */
  public static S3BlobStore open(S3Uri root, S3Access access) {
    S3Client s3 = access.client();
    S3BlobStore store = new S3BlobStore(root, access, s3);
    try {
      S3Calls.withRetries("bucket " + root.bucket(), access, () -> s3.headBucket(b -> b.bucket(root.bucket())));
    } catch (NoSuchFileException e) {
      s3.close();
      throw new io.searchmigrate.common.UserError("bucket '" + root.bucket() + "' does not exist at " + access.describe()
          + "; check the bucket name in --repo" + (access.endpoint() == null ? " and --s3-region" : " and --s3-endpoint"));
    } catch (IOException | RuntimeException e) {
      s3.close();
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new io.searchmigrate.common.UserError("cannot reach " + access.describe() + " for " + root + ": " + e.getMessage(), e);
    }
    return store;
  }

  public S3Uri root() {
    return root;
  }

  @Override
  public List<String> list(String folder) throws IOException {
    String prefix = root.key(folder);
    String listed = prefix.isEmpty() ? "" : prefix + "/";
    List<String> names = new ArrayList<>();
    String token = null;
    do {
      String continuation = token;
      ListObjectsV2Response page = S3Calls.withRetries("listing of " + root.describe(folder), access,
          () -> s3.listObjectsV2(b -> b.bucket(root.bucket()).prefix(listed).delimiter("/").continuationToken(continuation)));
      for (S3Object object : page.contents()) {
        String name = object.key().substring(listed.length());
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
      for (CommonPrefix sub : page.commonPrefixes()) {
        names.add(sub.prefix().substring(listed.length()).replaceAll("/+$", ""));
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    names.sort(null);
    return names;
  }

  @Override
  public boolean exists(String path) throws IOException {
    try {
      S3Calls.withRetries(root.describe(path), access, () -> s3.headObject(b -> b.bucket(root.bucket()).key(root.key(path))));
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public byte[] readAll(String path) throws IOException {
    return S3Calls.withRetries(root.describe(path), access, () -> s3.getObject(b -> b.bucket(root.bucket()).key(root.key(path)),
        ResponseTransformer.toBytes()).asByteArray());
  }

  @Override
  public RandomAccessBlob open(String path) throws IOException {
    String key = root.key(path);
    HeadObjectResponse head = S3Calls.withRetries(root.describe(path), access,
        () -> s3.headObject(b -> b.bucket(root.bucket()).key(key)));
    // the object's identity in the shared cache: where it is and its version (an object written again is another one)
    String identity = access.describe() + " " + root.bucket() + "/" + key + " " + head.contentLength() + " "
        + (head.eTag() == null ? "store@" + System.identityHashCode(this) : head.eTag());
    return new S3Blob(root.describe(path), key, head.contentLength(), identity);
  }

  @Override
  public String describe(String path) {
    return root.describe(path);
  }

  @Override
  public void close() {
    s3.close();
  }

  @Override
  public String toString() {
    return root + " at " + access.describe();
  }

  /** Bytes [from, from + length) of an object, by one ranged GET, checked for length. */
  private byte[] range(String what, String key, long from, int length) throws IOException {
    String range = "bytes=" + from + "-" + (from + length - 1);
    return S3Calls.withRetries(what + " (" + range + ")", access, () -> {
      ResponseBytes<GetObjectResponse> bytes = s3.getObject(b -> b.bucket(root.bucket()).key(key).range(range),
          ResponseTransformer.toBytes());
      byte[] data = bytes.asByteArray();
      if (data.length != length) {
        // a store that ignored the range, or a body cut short: either way not the bytes asked for
        throw new IOException("asked for " + length + " bytes, received " + data.length);
      }
      return data;
    });
  }

  /** One object read by position, window by window through the shared cache; thread-safe. */
  private final class S3Blob implements RandomAccessBlob {
    private final String description;
    private final String key;
    private final long length;
    private final String identity;
    private final int window;
    /** The window this blob last asked to read ahead (its readers share it; a stale value only asks again). */
    private volatile long lastReadAhead = -1;

    S3Blob(String description, String key, long length, String identity) {
      this.description = description;
      this.key = key;
      this.length = length;
      this.identity = identity;
      this.window = (int) Math.max(1, Math.min(WINDOW_BYTES, length));
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public void read(long position, ByteBuffer target) throws IOException {
      if (position < 0 || position + target.remaining() > length) {
        throw new EOFException("read past the end of " + description + ": " + position + "+" + target.remaining() + " > " + length);
      }
      long pos = position;
      while (target.hasRemaining()) {
        long index = pos / window;
        byte[] data = window(index);
        int inWindow = (int) (pos - index * window);
        int n = Math.min(target.remaining(), data.length - inWindow);
        target.put(data, inWindow, n);
        pos += n;
        if (inWindow + n > window / 2 && (index + 1) * window < length && lastReadAhead != index + 1) {
          lastReadAhead = index + 1; // asked once per window, not on every small read past its middle
          readAhead(index + 1); // a reader past the middle of a window goes on to the next one: fetch it meanwhile
        }
      }
    }

    /** One ranged GET for the whole range, kept out of the shared cache. */
    @Override
    public void readOnce(long position, ByteBuffer target) throws IOException {
      if (position < 0 || position + target.remaining() > length) {
        throw new EOFException("read past the end of " + description + ": " + position + "+" + target.remaining() + " > " + length);
      }
      if (target.hasRemaining()) {
        target.put(range(description, key, position, target.remaining()));
      }
    }

    private byte[] window(long index) throws IOException {
      WindowCache.Key cached = new WindowCache.Key(identity, index);
      byte[] data = WINDOWS.get(cached);
      if (data == null) {
        data = readAheadResult(cached);
      }
      if (data == null) {
        data = fetch(index);
        WINDOWS.put(cached, data);
      }
      return data;
    }

    private byte[] fetch(long index) throws IOException {
      long from = index * window;
      return range(description, key, from, (int) Math.min(window, length - from));
    }

    /**
     * Fetches window {@code index} in the background into the shared cache, unless it is there or on its way, or
     * {@value #READ_AHEADS} read-aheads are already running in this JVM (then the reader fetches it when it gets there).
     */
    private void readAhead(long index) {
      WindowCache.Key next = new WindowCache.Key(identity, index);
      if (IN_FLIGHT.containsKey(next) || WINDOWS.contains(next) || !READ_AHEAD_PERMITS.tryAcquire()) {
        return;
      }
      CompletableFuture<byte[]> fetching = new CompletableFuture<>();
      if (IN_FLIGHT.putIfAbsent(next, fetching) != null) {
        READ_AHEAD_PERMITS.release();
        return;
      }
      READ_AHEAD.execute(() -> {
        try {
          byte[] data = fetch(index);
          WINDOWS.put(next, data);
          fetching.complete(data);
        } catch (IOException | RuntimeException e) {
          fetching.completeExceptionally(e); // the reader fetches it itself, and sees the error if it persists
        } finally {
          IN_FLIGHT.remove(next, fetching);
          READ_AHEAD_PERMITS.release();
        }
      });
    }

    /** The window a read-ahead is fetching, once it came; null when none is, or it failed. */
    private byte[] readAheadResult(WindowCache.Key cached) throws IOException {
      CompletableFuture<byte[]> fetching = IN_FLIGHT.get(cached);
      if (fetching == null) {
        return null;
      }
      try {
        return fetching.get();
      } catch (ExecutionException failed) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for " + description);
      }
    }

    @Override
    public void close() {
      // the windows stay in the shared cache for the other readers, until it needs their room
    }
  }
}
