package io.searchmigrate.pipelines.replay;

import static io.searchmigrate.pipelines.replay.ConnectionReassemblyTest.bytes;

import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.capture.CaptureRecord.Observation;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaRecordCoder;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.transforms.Create;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Captured connections for replay tests. */
final class ReplayPipelineTestRecords {
  static final int REQUESTS_PER_CONNECTION = 4;

  private ReplayPipelineTestRecords() {}

  /** The records of connections 0..n-1 as the proxy writes them to its topic: each keyed by its connection. */
  static List<ProducerRecord<byte[], byte[]>> onTopic(String topic, int connections) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      for (CaptureRecord r : connection(c)) {
        records.add(new ProducerRecord<>(topic, r.connectionId().getBytes(), r.encode()));
      }
    }
    return records;
  }

  /** Record values as KafkaIO would read them, each at the given partition and offset (no key). */
  static Create.Values<KafkaRecord<byte[], byte[]>> asRead(List<TopicRecord> records) {
    List<KafkaRecord<byte[], byte[]>> read = new ArrayList<>();
    for (TopicRecord r : records) {
      read.add(new KafkaRecord<>("capture", r.partition(), r.offset(), 0, KafkaTimestampType.NO_TIMESTAMP_TYPE,
          new RecordHeaders(), null, r.value()));
    }
    return Create.of(read).withCoder(KafkaRecordCoder.of(NullableCoder.of(ByteArrayCoder.of()), ByteArrayCoder.of()));
  }

  /** Connection c puts documents c-0..c-3 in order, two requests pipelined at a time, one observation a record. */
  static List<CaptureRecord> connection(int c) {
    List<Observation> observations = new ArrayList<>();
    long t = 1_000_000L * c;
    observations.add(new CaptureRecord.Open(t, "127.0.0.1:" + (5000 + c), "127.0.0.1:9201", false));
    for (int i = 0; i < REQUESTS_PER_CONNECTION; i += 2) {
      for (int j = i; j < i + 2; j++) {
        String body = "{\"n\":" + j + "}";
        observations.add(new CaptureRecord.RequestBytes(++t, bytes("PUT /i/_doc/" + c + "-" + j + " HTTP/1.1\r\n"
            + "Host: source:9200\r\nAuthorization: Basic c2VjcmV0OnNlY3JldA==\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n" + body)));
        observations.add(new CaptureRecord.RequestEnd(++t, j, "PUT", "/i/_doc/" + c + "-" + j, true));
      }
      for (int j = i; j < i + 2; j++) {
        observations.add(new CaptureRecord.ResponseBytes(++t, bytes("HTTP/1.1 201 Created\r\ncontent-type: "
            + "application/json\r\ncontent-length: 15\r\n\r\n{\"result\":\"ok\"}")));
        observations.add(new CaptureRecord.ResponseEnd(++t, j, 201));
      }
    }
    observations.add(new CaptureRecord.Close(++t, 1));
    return ConnectionReassemblyTest.records("n." + c, observations, 1);
  }

}
