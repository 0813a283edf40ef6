package io.searchmigrate.snapshot.lucene;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Set;
import org.apache.lucene.store.BaseDirectory;
import org.apache.lucene.store.BufferedIndexInput;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.NoLockFactory;

/** A read-only Lucene 9 {@code Directory} over a shard's files in the repository: no copy to local disk. */
final class RepositoryDirectory extends BaseDirectory {
  private static final int BUFFER_SIZE = 16 * 1024;
  private final ShardFiles files;

  RepositoryDirectory(ShardFiles files) {
    super(NoLockFactory.INSTANCE);
    this.files = files;
  }

  @Override
  public String[] listAll() {
    return files.names();
  }

  @Override
  public long fileLength(String name) throws IOException {
    return files.info(name).length();
  }

  @Override
  public IndexInput openInput(String name, IOContext context) throws IOException {
    ensureOpen();
    ShardFiles.ShardFile file = files.file(name);
    return new FileInput(files.describe(name), file, 0, file.length());
  }

  @Override
  public void deleteFile(String name) {
    throw readOnly();
  }

  @Override
  public IndexOutput createOutput(String name, IOContext context) {
    throw readOnly();
  }

  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) {
    throw readOnly();
  }

  @Override
  public void sync(Collection<String> names) {}

  @Override
  public void syncMetaData() {}

  @Override
  public void rename(String source, String dest) {
    throw readOnly();
  }

  @Override
  public Set<String> getPendingDeletions() {
    return Set.of();
  }

  @Override
  public void close() {
    isOpen = false;
  }

  private static UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException("snapshot repositories are read-only");
  }

  /** Buffered positional reads of one file (or a slice of it); clones share the file. */
  private static final class FileInput extends BufferedIndexInput {
    private final ShardFiles.ShardFile file;
    private final long offset;
    private final long length;

    FileInput(String description, ShardFiles.ShardFile file, long offset, long length) {
      super(description, BUFFER_SIZE);
      this.file = file;
      this.offset = offset;
      this.length = length;
    }

    @Override
    protected void readInternal(ByteBuffer b) throws IOException {
      long start = getFilePointer();
      if (start + b.remaining() > length) {
        throw new java.io.EOFException("read past EOF: " + this + " at " + start + " wanted " + b.remaining() + " of " + length);
      }
      file.read(offset + start, b);
    }

    @Override
    protected void seekInternal(long pos) throws IOException {
      if (pos > length) {
        throw new java.io.EOFException("seek past EOF: " + this + " to " + pos + " of " + length);
      }
      // reads are positional: nothing to move
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public IndexInput slice(String sliceDescription, long sliceOffset, long sliceLength) throws IOException {
      if (sliceOffset < 0 || sliceLength < 0 || sliceOffset + sliceLength > length) {
        throw new IllegalArgumentException("slice " + sliceDescription + " out of bounds: " + sliceOffset + "+" + sliceLength + " > " + length);
      }
      return new FileInput(toString() + " [slice=" + sliceDescription + "]", file, offset + sliceOffset, sliceLength);
    }

    @Override
    public void close() {
      // the file belongs to the shard and is closed with it
    }
  }
}
