package io.searchmigrate.pipelines;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live progress of a run, shared by the pipeline's workers and the console that prints it. It lives in the
 * JVM, which is where the DirectRunner and Flink's [local] mini-cluster run their workers; on a remote runner
 * workers find no registered run and their updates go nowhere (the final summary comes from Beam metrics).
 */
public final class BackfillProgress {
  private static final Map<String, BackfillProgress> RUNS = new ConcurrentHashMap<>();
  private static final BackfillProgress DETACHED = new BackfillProgress(0);

  private final int shardsTotal;
  private final AtomicInteger shardsPlanned = new AtomicInteger();
  private final AtomicInteger shardsDone = new AtomicInteger();
  private final AtomicLong luceneDocsTotal = new AtomicLong();
  private final AtomicLong luceneDocsVisited = new AtomicLong();
  private final AtomicLong documentsRead = new AtomicLong();
  private final AtomicLong documentsWritten = new AtomicLong();
  private final AtomicLong documentsFailed = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final Map<String, AtomicInteger> slicesLeft = new ConcurrentHashMap<>();

  private BackfillProgress(int shardsTotal) {
    this.shardsTotal = shardsTotal;
  }

  /** Registers a run in this JVM. */
  public static BackfillProgress register(String runId, int shardsTotal) {
    BackfillProgress progress = new BackfillProgress(shardsTotal);
    RUNS.put(runId, progress);
    return progress;
  }

  public static void unregister(String runId) {
    RUNS.remove(runId);
  }

  /** The run's progress, or a detached sink when the run is not in this JVM. */
  public static BackfillProgress of(String runId) {
    return runId == null ? DETACHED : RUNS.getOrDefault(runId, DETACHED);
  }

  public void shardPlanned(String shard, int slices, long liveLuceneDocs) {
    shardsPlanned.incrementAndGet();
    luceneDocsTotal.addAndGet(liveLuceneDocs);
    if (slices == 0) {
      shardsDone.incrementAndGet();
    } else {
      slicesLeft.put(shard, new AtomicInteger(slices));
    }
  }

  public void sliceRead(String shard, long visitedLuceneDocs, long documents) {
    luceneDocsVisited.addAndGet(visitedLuceneDocs);
    documentsRead.addAndGet(documents);
    AtomicInteger left = slicesLeft.get(shard);
    if (left != null && left.decrementAndGet() == 0) {
      shardsDone.incrementAndGet();
    }
  }

  public void written(long documents, long bytes) {
    documentsWritten.addAndGet(documents);
    bytesWritten.addAndGet(bytes);
  }

  public void failed(long documents) {
    documentsFailed.addAndGet(documents);
  }

  public int shardsTotal() {
    return shardsTotal;
  }

  public int shardsPlanned() {
    return shardsPlanned.get();
  }

  public int shardsDone() {
    return shardsDone.get();
  }

  /** Live Lucene documents in the shards planned so far (nested children included). */
  public long luceneDocsTotal() {
    return luceneDocsTotal.get();
  }

  public long luceneDocsVisited() {
    return luceneDocsVisited.get();
  }

  public long documentsRead() {
    return documentsRead.get();
  }

  public long documentsWritten() {
    return documentsWritten.get();
  }

  public long documentsFailed() {
    return documentsFailed.get();
  }

  public long bytesWritten() {
    return bytesWritten.get();
  }
}
