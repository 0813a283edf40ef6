package io.searchmigrate.snapshot.blob;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A blob read by position; safe for concurrent reads from several threads. */
public interface RandomAccessBlob extends Closeable {
  long length();

  /** Fills {@code target} completely from {@code position} on, or throws EOFException. */
  void read(long position, ByteBuffer target) throws IOException;
}
