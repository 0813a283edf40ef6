package io.searchmigrate.snapshot.blob;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A blob read by position; safe for concurrent reads from several threads. */
public interface RandomAccessBlob extends Closeable {
  long length();

  /** Fills {@code target} completely from {@code position} on, or throws EOFException. */
  void read(long position, ByteBuffer target) throws IOException;

  /**
   * Like {@link #read}, for a range read once from start to end (a checksum pass): a store that caches what it reads
   * may fetch it in one request and keep none of it, so that the cache stays for the reads that come back.
   */
  default void readOnce(long position, ByteBuffer target) throws IOException {
    read(position, target);
  }
}
