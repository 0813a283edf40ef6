package io.searchmigrate.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.searchmigrate.pipelines.runners.RunnerPresets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayJobConsumerTest {
  private static Map<String, Object> readerConfig(String... extra) {
    List<String> args = new ArrayList<>(List.of("--runner=DirectRunner", "--kafka=127.0.0.1:1", "--topic=capture",
        "--group=replay-1", "--target=http://127.0.0.1:9", "--sourceVersion=7.10.2"));
    args.addAll(List.of(extra));
    return new ReplayJob(RunnerPresets.parse(args, ReplayOptions.class), line -> { }).readerConsumerConfig();
  }

  @Test
  void theReaderFetchesLessThanKafkasDefaultFromEachPartitionUnlessTheUserSaysOtherwise() {
    Map<String, Object> replayDefaults = readerConfig();
    assertEquals(64 * 1024, replayDefaults.get("max.partition.fetch.bytes"));
    assertEquals("replay-1", replayDefaults.get("group.id"));
    assertEquals(false, replayDefaults.get("enable.auto.commit"));
    assertFalse(replayDefaults.containsKey("bootstrap.servers"), "given to KafkaIO apart");
    assertEquals(false, replayDefaults.get("enable.metrics.push"));

    Map<String, Object> usersChoice = readerConfig("--kafkaProperty=max.partition.fetch.bytes=1048576");
    assertEquals("1048576", usersChoice.get("max.partition.fetch.bytes"));
    assertEquals("true", readerConfig("--kafkaProperty=enable.metrics.push=true").get("enable.metrics.push"));
  }
}
