package io.searchmigrate.pipelines.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Offsets of one topic partition that were all read, or all done with (their requests answered or dead-lettered):
 * what {@link CommitAnsweredOffsets} commits from. Given once per bundle and partition rather than once per record:
 * four small elements per request through the runner cost the replay more than its bookkeeping.
 *
 * <pre>{@code
 * TopicPositions.Gathered read = new TopicPositions.Gathered();
 * read.add(record.partition(), record.offset());
 * read.drain((partition, offsets) -> out.output(KV.of(partition, TopicPositions.read(offsets))));
 * }</pre>
 */
public record TopicPositions(boolean doneWith, long[] offsets) {
  public static final Coder<TopicPositions> CODER = new TopicPositionsCoder();

  public static TopicPositions read(long... offsets) {
    return new TopicPositions(false, offsets);
  }

  public static TopicPositions done(long... offsets) {
    return new TopicPositions(true, offsets);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TopicPositions p && p.doneWith == doneWith && Arrays.equals(p.offsets, offsets);
  }

  @Override
  public int hashCode() {
    return 31 * Boolean.hashCode(doneWith) + Arrays.hashCode(offsets);
  }

  @Override
  public String toString() {
    return (doneWith ? "done" : "read") + Arrays.toString(offsets);
  }

  /** Offsets gathered by partition (partitions in order), for one bundle's worth of positions. */
  public static final class Gathered {
    private final TreeMap<Integer, Growing> byPartition = new TreeMap<>();

    public void add(int partition, long offset) {
      byPartition.computeIfAbsent(partition, p -> new Growing()).add(offset);
    }

    /** Gives each partition's offsets, in ascending order, and forgets them. */
    public void drain(BiConsumer<Integer, long[]> partitionAndOffsets) {
      byPartition.forEach((partition, offsets) -> {
        long[] sorted = Arrays.copyOf(offsets.values, offsets.size);
        Arrays.sort(sorted);
        partitionAndOffsets.accept(partition, sorted);
      });
      byPartition.clear();
    }

    private static final class Growing {
      long[] values = new long[16];
      int size;

      void add(long value) {
        if (size == values.length) {
          values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
      }
    }
  }

  private static final class TopicPositionsCoder extends AtomicCoder<TopicPositions> {
    @Override
    public void encode(TopicPositions positions, OutputStream out) throws IOException {
      out.write(positions.doneWith ? 1 : 0);
      VarIntCoder.of().encode(positions.offsets.length, out);
      long previous = 0;
      for (long offset : positions.offsets) {
        VarLongCoder.of().encode(offset - previous, out); // ascending and close together: small deltas
        previous = offset;
      }
    }

    @Override
    public TopicPositions decode(InputStream in) throws IOException {
      int done = in.read();
      if (done < 0) {
        throw new java.io.EOFException("topic positions cut short");
      }
      long[] offsets = new long[VarIntCoder.of().decode(in)];
      long previous = 0;
      for (int i = 0; i < offsets.length; i++) {
        previous += VarLongCoder.of().decode(in);
        offsets[i] = previous;
      }
      return new TopicPositions(done == 1, offsets);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
