package io.searchmigrate.snapshot.blob;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Read access to a snapshot repository's blobs, addressed by paths relative to the repository root
 * ({@code indices/<id>/0/__abc}). Implementations read in place: nothing is copied to local disk.
 */
public interface BlobStore extends Closeable {
  /** Names of the blobs directly inside a folder ("" is the root); empty when the folder does not exist. */
  List<String> list(String folder) throws IOException;

  boolean exists(String path) throws IOException;

  /** Reads a whole (small) blob. */
  byte[] readAll(String path) throws IOException;

  /** Opens a blob for positional reads; the caller closes it. */
  RandomAccessBlob open(String path) throws IOException;

  /** Where a blob lives, for messages: an absolute file path or a URI. */
  String describe(String path);
}
