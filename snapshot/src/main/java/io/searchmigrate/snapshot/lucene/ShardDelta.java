package io.searchmigrate.snapshot.lucene;

import io.searchmigrate.common.document.SourceDocument;
import java.io.IOException;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What changed in one shard between two snapshots of it, found segment by segment. Segments are immutable apart from
 * which documents are live, so a segment in both commits (same name and Lucene id) with the same live documents holds
 * nothing new and is not read at all.
 *
 * <pre>{@code
 * ShardDelta delta = ShardDelta.between(olderReader, newerReader);
 * delta.readChanged(toIndex::add);   // documents live in the newer commit and not in the older one
 * delta.readGone(maybeDeleted::add); // documents live in the older commit and not (at that place) in the newer one
 * }</pre>
 *
 * <p>A document updated between the snapshots is live in a new segment and no longer live in an old one: it comes out
 * of both reads. It was deleted only if its id is not among the changed documents of its index, which the caller checks
 * (across shards, since a new routing can move a document).
 */
public final class ShardDelta {
  private final ShardDocumentReader older;
  private final ShardDocumentReader newer;
  /** Shard-wide numbers in the newer commit of documents to send. */
  private final BitSet changed = new BitSet();
  /** Shard-wide numbers in the older commit of documents no longer live where they were. */
  private final BitSet gone = new BitSet();
  private int segmentsSkipped;
  private int segmentsNew;
  private int segmentsChanged;
  private int segmentsRemoved;

  private ShardDelta(ShardDocumentReader older, ShardDocumentReader newer) {
    this.older = older;
    this.newer = newer;
  }

  /** @param older the shard in the earlier snapshot, or null when the shard is new (then every document is changed) */
  public static ShardDelta between(ShardDocumentReader older, ShardDocumentReader newer) throws IOException {
    ShardDelta delta = new ShardDelta(older, newer);
    Map<String, ShardDocumentReader.Segment> before = new HashMap<>();
    if (older != null) {
      for (ShardDocumentReader.Segment segment : older.segments()) {
        before.put(segment.key(), segment);
      }
    }
    for (ShardDocumentReader.Segment segment : newer.segments()) {
      ShardDocumentReader.Segment previous = before.remove(segment.key());
      if (previous == null) {
        delta.segmentsNew++;
        addShifted(delta.changed, segment.live(), segment.docBase());
      } else if (previous.live().equals(segment.live())) {
        delta.segmentsSkipped++;
      } else {
        delta.segmentsChanged++;
        BitSet appeared = (BitSet) segment.live().clone();
        appeared.andNot(previous.live()); // none in practice: a deleted document stays deleted
        addShifted(delta.changed, appeared, segment.docBase());
        BitSet vanished = (BitSet) previous.live().clone();
        vanished.andNot(segment.live());
        addShifted(delta.gone, vanished, previous.docBase());
      }
    }
    for (ShardDocumentReader.Segment removed : before.values()) {
      delta.segmentsRemoved++; // merged away: its live documents are in a new segment, or were deleted
      addShifted(delta.gone, removed.live(), removed.docBase());
    }
    return delta;
  }

  private static void addShifted(BitSet into, BitSet segmentDocs, int docBase) {
    for (int doc = segmentDocs.nextSetBit(0); doc >= 0; doc = segmentDocs.nextSetBit(doc + 1)) {
      into.set(docBase + doc);
    }
  }

  /** Emits the documents live in the newer commit that were not live in the older one. */
  public ShardDocumentReader.SliceStats readChanged(Consumer<SourceDocument> out) throws IOException {
    return read(newer, changed, out);
  }

  /** Emits the documents live in the older commit that are not live at the same place in the newer one. */
  public ShardDocumentReader.SliceStats readGone(Consumer<SourceDocument> out) throws IOException {
    return read(older, gone, out);
  }

  private static ShardDocumentReader.SliceStats read(ShardDocumentReader reader, BitSet docs, Consumer<SourceDocument> out)
      throws IOException {
    if (docs.isEmpty()) {
      return new ShardDocumentReader.SliceStats();
    }
    return reader.read(docs.nextSetBit(0), docs.length(), docs::get, out);
  }

  /** Shard-wide numbers in the newer commit of the documents to send (a copy), for reading them a slice at a time. */
  public BitSet changed() {
    return (BitSet) changed.clone();
  }

  /** Shard-wide numbers in the older commit of the documents no longer live where they were (a copy). */
  public BitSet gone() {
    return (BitSet) gone.clone();
  }

  /** Live Lucene documents the delta reads from the newer commit (nested children included). */
  public int changedLuceneDocs() {
    return changed.cardinality();
  }

  /** Lucene documents the delta reads from the older commit (nested children included). */
  public int goneLuceneDocs() {
    return gone.cardinality();
  }

  /** Segments in both commits with the same live documents: not read. */
  public int segmentsSkipped() {
    return segmentsSkipped;
  }

  /** Segments read: new in the newer commit, in both with documents deleted since, or only in the older one. */
  public int segmentsRead() {
    return segmentsNew + segmentsChanged + segmentsRemoved;
  }

  @Override
  public String toString() {
    return segmentsSkipped + " segment(s) unchanged, " + segmentsNew + " new, " + segmentsChanged + " with new deletions, "
        + segmentsRemoved + " merged away or removed; " + changed.cardinality() + " Lucene document(s) to send, "
        + gone.cardinality() + " to check for deletion";
  }
}
