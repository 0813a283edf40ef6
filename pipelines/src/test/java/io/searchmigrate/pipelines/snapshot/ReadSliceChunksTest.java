package io.searchmigrate.pipelines.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.searchmigrate.common.document.SourceDocument;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The read hands documents on in chunks bounded by count and by source bytes, whichever comes first: what bounds a
 * DirectRunner turn (100 outputs) to 10,000 documents or about 25 MB. The bytes bound is also exercised end to end by
 * {@link SnapshotIOBoundedMemoryTest}; the count bound needs more small documents in one slice than a test snapshot
 * is worth, so it is checked here.
 */
class ReadSliceChunksTest {
  private final List<List<SourceDocument>> given = new ArrayList<>();
  private final ReadSliceFn.Chunks chunks = new ReadSliceFn.Chunks(chunk -> given.add(List.copyOf(chunk)));

  private static SourceDocument document(int n, int sourceBytes) {
    return new SourceDocument("i", null, "d" + n, null, new byte[sourceBytes]);
  }

  private List<Integer> sizes() {
    return given.stream().map(List::size).toList();
  }

  @Test
  void smallDocumentsAreCutByCount() {
    for (int i = 0; i < 2 * ReadSliceFn.CHUNK + 7; i++) {
      chunks.accept(document(i, 10));
    }
    assertEquals(List.of(ReadSliceFn.CHUNK, ReadSliceFn.CHUNK), sizes(), "whole chunks go out as they fill");
    chunks.flush();
    assertEquals(List.of(ReadSliceFn.CHUNK, ReadSliceFn.CHUNK, 7), sizes(), "the rest goes out when flushed");
    assertEquals("d0", given.get(0).get(0).id());
    assertEquals("d" + (2 * ReadSliceFn.CHUNK + 6), given.get(2).get(6).id(), "in the order read");
  }

  @Test
  void largeDocumentsAreCutByBytesIncludingTheOneThatCrossesTheBound() {
    int large = ReadSliceFn.CHUNK_BYTES / 4; // the fourth reaches the bound
    for (int i = 0; i < 10; i++) {
      chunks.accept(document(i, large));
    }
    chunks.flush();
    assertEquals(List.of(4, 4, 2), sizes());
  }

  @Test
  void aDocumentWithoutSourceGoesOutWithTheOthersAndAnEmptyFlushGivesNothing() {
    chunks.flush();
    chunks.accept(new SourceDocument("i", null, "nested", null, null));
    chunks.flush();
    chunks.flush();
    assertEquals(List.of(1), sizes());
  }
}
