package io.searchmigrate.snapshot.blob;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A filesystem snapshot repository (Elasticsearch's {@code fs} type), read in place. */
public final class FileSystemBlobStore implements BlobStore {
  private final Path root;

  public FileSystemBlobStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  private Path resolve(String path) {
    return path.isEmpty() ? root : root.resolve(path);
  }

  @Override
  public List<String> list(String folder) throws IOException {
    Path dir = resolve(folder);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      entries.forEach(p -> names.add(p.getFileName().toString()));
    }
    names.sort(null);
    return names;
  }

  @Override
  public boolean exists(String path) {
    return Files.exists(resolve(path));
  }

  @Override
  public byte[] readAll(String path) throws IOException {
    return Files.readAllBytes(resolve(path));
  }

  @Override
  public RandomAccessBlob open(String path) throws IOException {
    Path file = resolve(path);
    try {
      return new FileBlob(FileChannel.open(file, StandardOpenOption.READ));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "blob missing from the repository");
    }
  }

  @Override
  public String describe(String path) {
    return resolve(path).toString();
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return root.toString();
  }

  private static final class FileBlob implements RandomAccessBlob {
    private final FileChannel channel;
    private final long length;

    FileBlob(FileChannel channel) throws IOException {
      this.channel = channel;
      this.length = channel.size();
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public void read(long position, ByteBuffer target) throws IOException {
      long pos = position;
      while (target.hasRemaining()) {
        int n = channel.read(target, pos);
        if (n < 0) {
          throw new EOFException("read past the end of the blob at " + pos + " of " + length);
        }
        pos += n;
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
