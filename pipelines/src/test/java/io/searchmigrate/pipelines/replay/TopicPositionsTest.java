package io.searchmigrate.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** Positions gathered per partition in ascending order, and their coder's round trip. */
class TopicPositionsTest {
  @Test
  void gatheredByPartitionInAscendingOrderThenForgotten() {
    TopicPositions.Gathered gathered = new TopicPositions.Gathered();
    for (long offset = 40; offset > 0; offset--) {
      gathered.add((int) (offset % 2), offset);
    }
    List<String> given = new ArrayList<>();
    gathered.drain((partition, offsets) -> given.add(partition + ":" + offsets.length + ":" + offsets[0] + "-"
        + offsets[offsets.length - 1]));
    assertEquals(List.of("0:20:2-40", "1:20:1-39"), given);
    gathered.drain((partition, offsets) -> given.add("again " + partition));
    assertEquals(2, given.size(), "drained once: " + given);
  }

  @Test
  void theCoderKeepsOffsetsAndWhetherDone() throws Exception {
    for (TopicPositions positions : List.of(TopicPositions.done(), TopicPositions.read(0, 7, 8, 1L << 40),
        TopicPositions.done(5, 3))) {
      byte[] bytes = CoderUtils.encodeToByteArray(TopicPositions.CODER, positions);
      assertEquals(positions, CoderUtils.decodeFromByteArray(TopicPositions.CODER, bytes));
    }
  }
}
