package io.searchmigrate.snapshot.lucene;

import io.searchmigrate.common.document.SourceDocument;
import java.io.Closeable;
import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * Reads the live documents of one shard snapshot straight from the repository, by ranges of Lucene document
 * numbers so a big shard can be read in slices by several workers.
 *
 * <pre>{@code
 * try (ShardDocumentReader reader = ShardReaders.open(blobs, shardSnapshot, null)) {
 *   reader.read(0, reader.maxDoc(), doc -> ...);
 * }
 * }</pre>
 *
 * <p>Documents are numbered over the commit's segments in commit order; deleted documents (hard or soft
 * deletes) are skipped, as are Lucene documents without an id (nested children).
 */
public interface ShardDocumentReader extends Closeable {
  /** Lucene document numbers run from 0 to maxDoc() (exclusive), deleted ones included. */
  int maxDoc();

  /** Live Lucene documents (nested children included): the unit of read progress. */
  long liveDocs();

  /** Which Lucene reads this shard, e.g. "Lucene 9.12.3 (segments written by 8.7.0)". */
  String description();

  /** Emits the live documents numbered in [from, to). */
  default SliceStats read(int from, int to, Consumer<SourceDocument> out) throws IOException {
    return read(from, to, doc -> true, out);
  }

  /** Emits the live documents numbered in [from, to) that {@code which} accepts (it sees shard-wide numbers). */
  SliceStats read(int from, int to, IntPredicate which, Consumer<SourceDocument> out) throws IOException;

  /** The commit's segments in document-number order, with which of their documents are live. */
  List<Segment> segments() throws IOException;

  /**
   * One segment of the commit. A segment never changes once written, except which of its documents are live, so two
   * commits holding the same {@link #key()} hold the same documents at the same offsets.
   *
   * @param name Lucene's segment name ({@code _3f})
   * @param id Lucene's unique id of the segment, in hex
   * @param docBase the shard-wide number of its first document
   * @param live its live documents (neither hard- nor soft-deleted), numbered from 0 within the segment
   */
  record Segment(String name, String id, int docBase, int maxDoc, BitSet live) {
    /** What identifies the segment across commits of one shard. */
    public String key() {
      return name + "/" + id;
    }

    /** The live documents of a segment of {@code maxDoc} documents; {@code live} null: all of them. */
    static BitSet live(int maxDoc, IntPredicate live) {
      BitSet docs = new BitSet(maxDoc);
      docs.set(0, maxDoc);
      for (int doc = 0; live != null && doc < maxDoc; doc++) {
        if (!live.test(doc)) {
          docs.clear(doc);
        }
      }
      return docs;
    }
  }

  /** What one read visited. */
  final class SliceStats {
    /** Live Lucene documents in the range, nested children included. */
    public long visited;
    /** Documents emitted. */
    public long documents;
    /** Live Lucene documents without an id (nested children): not documents of their own. */
    public long withoutId;

    public void add(SliceStats other) {
      visited += other.visited;
      documents += other.documents;
      withoutId += other.withoutId;
    }
  }
}
