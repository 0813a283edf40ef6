package io.searchmigrate.snapshot.blob;

import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.snapshot.s3.S3Calls;
import io.searchmigrate.snapshot.s3.S3Uri;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
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
 * read in place with ranged GETs: nothing is copied to local disk. Objects are kept in pages of {@value #PAGE_BYTES}
 * bytes in one bounded cache for the whole JVM ({@link WindowCache}, {@value #CACHE_MB} MB), so a page one reader
 * fetched serves every other reader of the same object (a backfill's slices of one shard are read by several threads,
 * each with its own Lucene reader). How much one request fetches follows how the object is read: a lone read (a
 * header, a footer, an index lookup) fetches its page only, a read that follows the page before fetches a run of up to
 * {@value #RUN_PAGES} pages, and a reader going forward has the next run fetched in the background once it is within
 * half a run of it (at most {@value #READ_AHEADS} at once per JVM). Measured on s3proxy: a request costs the store
 * about as much as 20 MB of transfer, so sequential reads want few large requests, while fixed 4 MB windows fetched
 * twice the shard for the headers and footers Lucene opens. A range read once (a checksum pass) goes as up to
 * {@value #ONCE_PARTS} GETs at once and is not cached. Every request is retried as {@link S3Calls} says.
 *
 * <pre>{@code
 * BlobStore blobs = S3BlobStore.open(S3Uri.parse("s3://backups/es", "--repo"), S3Access.defaults().withRegion("eu-west-1"));
 * }</pre>
 */
public final class S3BlobStore implements BlobStore {
  /** The unit of the shared cache, and what a lone read fetches. */
  static final int PAGE_BYTES = 256 << 10;
  /** The most pages one request fetches for a reader going forward (4 MB). */
  static final int RUN_PAGES = 16;
  static final int CACHE_MB = 64;
  private static final WindowCache WINDOWS = new WindowCache((long) CACHE_MB << 20);
  /** Runs fetched ahead of their readers at once, in this JVM (each holds its bytes while it runs). */
  static final int READ_AHEADS = 4;
  /** A range read once (a checksum pass) is fetched in this many ranged GETs at once, each of at least ONCE_PART_BYTES. */
  static final int ONCE_PARTS = 4;
  static final int ONCE_PART_BYTES = 4 << 20;
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

  /** One object read by position, page by page through the shared cache; thread-safe. */
  private final class S3Blob implements RandomAccessBlob {
    private final String description;
    private final String key;
    private final long length;
    private final String identity;
    private final long pages;
    /** The page this blob was last read in (its readers share it; a stale value only checks the read-ahead again). */
    private volatile long lastPage = -1;

    S3Blob(String description, String key, long length, String identity) {
      this.description = description;
      this.key = key;
      this.length = length;
      this.identity = identity;
      this.pages = (length + PAGE_BYTES - 1) / PAGE_BYTES;
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
        long page = pos / PAGE_BYTES;
        byte[] data = page(page);
        int inPage = (int) (pos - page * PAGE_BYTES);
        int n = Math.min(target.remaining(), data.length - inPage);
        target.put(data, inPage, n);
        pos += n;
        if (page != lastPage) {
          lastPage = page; // checked once per page reached, not on every small read
          readAheadOf(page);
        }
      }
    }

    private byte[] page(long page) throws IOException {
      WindowCache.Key cached = pageKey(page);
      byte[] data = WINDOWS.get(cached);
      while (data == null) {
        data = inFlight(cached);
        if (data == null) {
          // the page before is here: a reader going forward, worth a whole run; otherwise a lone read (a header, a footer)
          boolean sequential = page > 0 && isHereOrComing(pageKey(page - 1));
          data = fetchRun(page, sequential ? RUN_PAGES : 1);
        }
      }
      return data;
    }

    /**
     * A reader in {@code page} that came from the page before goes on: once it is within half a run of a page that is
     * neither here nor coming, that page's run is fetched in the background (at most {@value #READ_AHEADS} at once per
     * JVM; when all are busy the reader fetches it itself when it gets there).
     */
    private void readAheadOf(long page) {
      if (page == 0 || !WINDOWS.contains(pageKey(page - 1))) {
        return;
      }
      for (long next = page + 1; next <= Math.min(page + RUN_PAGES / 2, pages - 1); next++) {
        if (isHereOrComing(pageKey(next))) {
          continue;
        }
        if (READ_AHEAD_PERMITS.tryAcquire()) {
          long first = next;
          READ_AHEAD.execute(() -> {
            try {
              fetchRun(first, RUN_PAGES);
            } catch (IOException | RuntimeException e) {
              // the reader fetches the page itself when it gets there, and sees the error if it persists
            } finally {
              READ_AHEAD_PERMITS.release();
            }
          });
        }
        return;
      }
    }

    /**
     * Fetches up to {@code most} pages from {@code first} in one ranged GET into the shared cache, stopping before a
     * page that is here or coming; returns the first page, or null when another reader took it on first.
     */
    private byte[] fetchRun(long first, int most) throws IOException {
      List<CompletableFuture<byte[]>> claimed = new ArrayList<>();
      for (long page = first; page < pages && claimed.size() < most; page++) {
        WindowCache.Key pageKey = pageKey(page);
        CompletableFuture<byte[]> claim = new CompletableFuture<>();
        if (WINDOWS.contains(pageKey) || IN_FLIGHT.putIfAbsent(pageKey, claim) != null) {
          break;
        }
        claimed.add(claim);
      }
      if (claimed.isEmpty()) {
        return null;
      }
      try {
        long from = first * PAGE_BYTES;
        byte[] run = range(description, key, from, (int) Math.min((long) claimed.size() * PAGE_BYTES, length - from));
        byte[] firstPage = null;
        for (int i = 0; i < claimed.size(); i++) {
          byte[] data = Arrays.copyOfRange(run, i * PAGE_BYTES, Math.min(run.length, (i + 1) * PAGE_BYTES));
          WINDOWS.put(pageKey(first + i), data);
          claimed.get(i).complete(data);
          firstPage = i == 0 ? data : firstPage;
        }
        return firstPage;
      } catch (IOException | RuntimeException e) {
        claimed.forEach(claim -> claim.completeExceptionally(e));
        throw e;
      } finally {
        for (int i = 0; i < claimed.size(); i++) {
          IN_FLIGHT.remove(pageKey(first + i), claimed.get(i));
        }
      }
    }

    private WindowCache.Key pageKey(long page) {
      return new WindowCache.Key(identity, page);
    }

    private boolean isHereOrComing(WindowCache.Key page) {
      return IN_FLIGHT.containsKey(page) || WINDOWS.contains(page);
    }

    /** The page another reader is fetching, once it came; null when none is, or it failed (then fetch it again). */
    private byte[] inFlight(WindowCache.Key page) throws IOException {
      CompletableFuture<byte[]> fetching = IN_FLIGHT.get(page);
      if (fetching == null) {
        return WINDOWS.get(page); // came between the two looks
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

    /**
     * The range in up to {@value #ONCE_PARTS} ranged GETs at once (of at least {@value #ONCE_PART_BYTES} bytes each),
     * kept out of the shared cache: one stream from a store is slower than several (s3proxy on loopback: a checksum
     * pass held every shard's documents back for a second), and the calling thread waits for the range anyway.
     */
    @Override
    public void readOnce(long position, ByteBuffer target) throws IOException {
      if (position < 0 || position + target.remaining() > length) {
        throw new EOFException("read past the end of " + description + ": " + position + "+" + target.remaining() + " > " + length);
      }
      int total = target.remaining();
      int parts = (int) Math.min(ONCE_PARTS, Math.max(1, total / ONCE_PART_BYTES));
      int partBytes = (total + parts - 1) / parts;
      List<CompletableFuture<byte[]>> others = new ArrayList<>();
      for (int part = 1; part < parts; part++) {
        long from = position + (long) part * partBytes;
        int n = (int) Math.min(partBytes, position + total - from);
        others.add(CompletableFuture.supplyAsync(() -> {
          try {
            return range(description, key, from, n);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }, READ_AHEAD));
      }
      if (total > 0) {
        target.put(range(description, key, position, Math.min(partBytes, total)));
      }
      for (CompletableFuture<byte[]> other : others) {
        try {
          target.put(other.get());
        } catch (ExecutionException failed) {
          others.forEach(f -> f.cancel(false));
          throw failed.getCause() instanceof java.io.UncheckedIOException io ? io.getCause()
              : new IOException("reading " + description + ": " + failed.getCause(), failed.getCause());
        } catch (InterruptedException e) {
          others.forEach(f -> f.cancel(false));
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while reading " + description);
        }
      }
    }

    @Override
    public void close() {
      // the pages stay in the shared cache for the other readers, until it needs their room
    }
  }
}
