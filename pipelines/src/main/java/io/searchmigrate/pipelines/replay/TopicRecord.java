package io.searchmigrate.pipelines.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A capture record's value with where it sits on the capture topic (partition and offset), so that the replay can
 * commit an offset only once every request up to it was answered.
 */
public record TopicRecord(int partition, long offset, byte[] value) {
  public static final Coder<TopicRecord> CODER = new TopicRecordCoder();

  private static final class TopicRecordCoder extends AtomicCoder<TopicRecord> {
    @Override
    public void encode(TopicRecord record, OutputStream out) throws IOException {
      VarIntCoder.of().encode(record.partition, out);
      VarLongCoder.of().encode(record.offset, out);
      ByteArrayCoder.of().encode(record.value, out);
    }

    @Override
    public TopicRecord decode(InputStream in) throws IOException {
      return new TopicRecord(VarIntCoder.of().decode(in), VarLongCoder.of().decode(in), ByteArrayCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
