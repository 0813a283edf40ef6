package io.searchmigrate.snapshot.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.searchmigrate.common.document.SourceDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The segment arithmetic of a delta, on two commits described segment by segment (what Lucene reports is covered by
 * the end-to-end test on a real Elasticsearch, DeltaBackfillTest in the console module).
 */
class ShardDeltaTest {
  /** A commit: segments of documents named "name:offset", with the live ones given. */
  private static final class Commit implements ShardDocumentReader {
    private final List<Segment> segments = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    /** Lucene documents read, counted to show what a delta skips. */
    int visited;

    Commit segment(String name, String id, int maxDoc, int... deleted) {
      BitSet live = new BitSet();
      live.set(0, maxDoc);
      for (int doc : deleted) {
        live.clear(doc);
      }
      segments.add(new Segment(name, id, ids.size(), maxDoc, live));
      for (int doc = 0; doc < maxDoc; doc++) {
        ids.add(name + ":" + doc);
      }
      return this;
    }

    @Override
    public int maxDoc() {
      return ids.size();
    }

    @Override
    public long liveDocs() {
      return segments.stream().mapToLong(s -> s.live().cardinality()).sum();
    }

    @Override
    public String description() {
      return "test commit";
    }

    @Override
    public SliceStats read(int from, int to, IntPredicate which, Consumer<SourceDocument> out) {
      SliceStats stats = new SliceStats();
      for (Segment segment : segments) {
        for (int doc = 0; doc < segment.maxDoc(); doc++) {
          int number = segment.docBase() + doc;
          if (number >= from && number < to && which.test(number) && segment.live().get(doc)) {
            visited++;
            stats.visited++;
            stats.documents++;
            out.accept(new SourceDocument("i", null, ids.get(number), null, "{}".getBytes(StandardCharsets.UTF_8)));
          }
        }
      }
      return stats;
    }

    @Override
    public List<Segment> segments() {
      return segments;
    }

    @Override
    public void close() {}
  }

  private static List<String> changed(ShardDelta delta) throws IOException {
    List<String> ids = new ArrayList<>();
    delta.readChanged(doc -> ids.add(doc.id()));
    return ids;
  }

  private static List<String> gone(ShardDelta delta) throws IOException {
    List<String> ids = new ArrayList<>();
    delta.readGone(doc -> ids.add(doc.id()));
    return ids;
  }

  @Test
  void unchangedSegmentsAreNotReadNewOnesAndNewDeletionsAre() throws IOException {
    Commit older = new Commit().segment("_0", "a0", 4, 1).segment("_1", "a1", 3);
    Commit newer = new Commit().segment("_0", "a0", 4, 1).segment("_1", "a1", 3, 0, 2).segment("_2", "a2", 2, 1);
    ShardDelta delta = ShardDelta.between(older, newer);

    assertEquals(List.of("_2:0"), changed(delta), "the new segment's live document");
    assertEquals(List.of("_1:0", "_1:2"), gone(delta), "documents deleted in a segment both commits hold");
    assertEquals(1, delta.segmentsSkipped());
    assertEquals(2, delta.segmentsRead());
    assertEquals(1, newer.visited, "nothing of _0 or _1 read from the newer commit");
    assertEquals(2, older.visited);
  }

  @Test
  void aMergedSegmentIsNewAndTheSegmentsItReplacedAreChecked() throws IOException {
    // _0 and _1 merged into _2 (which drops _0's deleted document); _1:1 deleted meanwhile
    Commit older = new Commit().segment("_0", "a0", 3, 2).segment("_1", "a1", 2);
    Commit newer = new Commit().segment("_2", "b2", 3);
    ShardDelta delta = ShardDelta.between(older, newer);

    assertEquals(List.of("_2:0", "_2:1", "_2:2"), changed(delta));
    assertEquals(List.of("_0:0", "_0:1", "_1:0", "_1:1"), gone(delta), "the caller keeps those not sent again");
    assertEquals(0, delta.segmentsSkipped());
    assertEquals(3, delta.segmentsRead());
  }

  @Test
  void aSegmentNameWithAnotherIdIsAnotherSegment() throws IOException {
    // the same name again after the index was recreated: Lucene's segment id tells them apart
    ShardDelta delta = ShardDelta.between(new Commit().segment("_0", "old", 2), new Commit().segment("_0", "new", 2));
    assertEquals(List.of("_0:0", "_0:1"), changed(delta));
    assertEquals(List.of("_0:0", "_0:1"), gone(delta));
  }

  @Test
  void withoutAnEarlierShardEveryLiveDocumentIsChanged() throws IOException {
    ShardDelta delta = ShardDelta.between(null, new Commit().segment("_0", "a0", 3, 1));
    assertEquals(List.of("_0:0", "_0:2"), changed(delta));
    assertEquals(List.of(), gone(delta));
  }

  @Test
  void identicalCommitsReadNothing() throws IOException {
    Commit older = new Commit().segment("_0", "a0", 5, 3).segment("_1", "a1", 2);
    Commit newer = new Commit().segment("_0", "a0", 5, 3).segment("_1", "a1", 2);
    ShardDelta delta = ShardDelta.between(older, newer);
    assertEquals(List.of(), changed(delta));
    assertEquals(List.of(), gone(delta));
    assertEquals(2, delta.segmentsSkipped());
    assertEquals(0, delta.segmentsRead());
    assertEquals(0, older.visited + newer.visited);
  }
}
