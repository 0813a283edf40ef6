package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.launcher.ClusterRequest;
import io.searchmigrate.launcher.Distribution;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The everyday tools on real clusters and a real broker: check, list, send, clear, generate; topics, lag, delete. */
class ConsoleToolsTest {
  @Test
  void clusterToolsCheckListSendGenerateAndClear() throws Exception {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    // a target of its own: clear-indices empties it
    LocalCluster target = TestClusters.get(ClusterRequest.of(Distribution.OPENSEARCH, "2.19.1").withName("test-os-outage"));

    ConsoleRun check = ConsoleRun.of("clusters", "check", "--source", source.url(), "--target", target.url());
    assertEquals(0, check.exitCode, check::toString);
    assertTrue(check.out.startsWith("CLUSTER STATE DETAILS\nsource  OK    " + source.url() + " Elasticsearch 7.10.2, health "),
        check::toString);
    assertTrue(check.out.contains("\ntarget  OK    " + target.url() + " OpenSearch 2.19.1, health "), check::toString);
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    ConsoleRun down = ConsoleRun.of("clusters", "check", "--source", source.url(), "--target", "http://127.0.0.1:" + closed);
    assertEquals(Migrate.RUN_FAILED, down.exitCode, down::toString);
    assertTrue(down.out.contains("\ntarget  FAIL  http://127.0.0.1:" + closed + ": cannot reach http://127.0.0.1:" + closed
        + ": connection refused. Is the cluster running, and is the port right?\n"), down::toString);

    ConsoleRun generate = ConsoleRun.of("clusters", "generate-data", "--target", target.url(), "--index", "tools_gen", "--docs",
        "2500", "--doc-size", "300", "--batch", "1000");
    assertEquals(0, generate.exitCode, generate::toString);
    assertEquals("2500 document(s) written to tools_gen\n", generate.out);
    // not a terminal: plain progress lines, the last one at the end (the shared ProgressLine)
    assertTrue(generate.err.matches("(?s)(.*\n)?\\[generate-data +\\d+s] 2,500 of 2,500 docs \\([0-9,]+ docs/s\\), 100%\n.*"),
        generate::toString);
    assertFalse(generate.err.contains("\r"), generate::toString);
    ClusterClient client = ClusterClient.connect(target.endpoint());
    assertEquals(2500, client.getJson("/tools_gen/_count").path("count").asLong());
    assertEquals(9, client.getJson("/tools_gen/_doc/gen-9").path("_source").path("n").asInt());

    ConsoleRun cat = ConsoleRun.of("clusters", "cat-indices", "--target", target.url());
    assertEquals(0, cat.exitCode, cat::toString);
    assertTrue(cat.out.matches("(?s)INDEX +HEALTH +DOCS +BYTES\n(.*\n)?tools_gen +\\w+ +2500 +\\d+\n.*"), cat::toString);
    assertFalse(cat.out.contains("\n."), "system indices only with --all: " + cat.out);

    ConsoleRun curl = ConsoleRun.of("clusters", "curl", "GET", "/tools_gen/_count?q=category:c3", "--source", source.url(),
        "--target", target.url(), "--on", "target");
    assertEquals(0, curl.exitCode, curl::toString);
    assertTrue(curl.out.startsWith("GET /tools_gen/_count?q=category:c3 → HTTP 200\n{\n  \"count\" : 250,"), curl::toString);
    ConsoleRun ambiguous = ConsoleRun.of("clusters", "curl", "GET", "/", "--source", source.url(), "--target", target.url());
    assertEquals("error: both --source and --target are given; say which one with --on source or --on target\n", ambiguous.err);

    ConsoleRun asked = ConsoleRun.of("clusters", "clear-indices", "--target", target.url());
    assertEquals(Migrate.USER_ERROR, asked.exitCode, "no terminal to answer: " + asked);
    assertTrue(asked.out.contains("about to DELETE") && asked.out.contains("tools_gen"), asked::toString);
    assertEquals("error: not asking for confirmation without a terminal; pass --yes to go on\n", asked.err);
    assertEquals(200, client.get("/tools_gen").status(), "still there");
    ConsoleRun cleared = ConsoleRun.of("clusters", "clear-indices", "--target", target.url(), "--yes");
    assertEquals(0, cleared.exitCode, cleared::toString);
    assertTrue(cleared.out.contains("deleted tools_gen\n"), cleared::toString);
    assertEquals(404, client.get("/tools_gen").status());
  }

  @Test
  void kafkaToolsListTopicsShowLagAndDeleteATopic() throws Exception {
    String bootstrap = TestKafka.shared().bootstrap();
    String topic = "tools-topic-" + System.currentTimeMillis();
    Properties adminConfig = new Properties();
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(adminConfig)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    Properties producerConfig = new Properties();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 10; i++) {
        // one at a time, each acknowledged: a record the broker refused would otherwise go unnoticed
        producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
      }
    }
    Properties consumerConfig = new Properties();
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "tools-replay");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(4)), Duration.ofSeconds(30));
    }

    ConsoleRun topics = ConsoleRun.of("kafka", "topics", "--kafka", bootstrap);
    assertEquals(0, topics.exitCode, topics::toString);
    assertTrue(topics.out.matches("(?s)TOPIC +PARTITIONS +RECORDS\n(.*\n)?" + topic + " +1 +10\n.*"), topics::toString);

    ConsoleRun lag = ConsoleRun.of("kafka", "lag", "--kafka", bootstrap, "--topic", topic, "--group", "tools-replay");
    assertEquals(0, lag.exitCode, lag::toString);
    assertTrue(lag.out.matches("(?s)GROUP +PARTITION +COMMITTED +END +LAG +LAG_TIME\ntools-replay +0 +4 +10 +6 +\\d+ s\n"),
        lag::toString);

    ConsoleRun delete = ConsoleRun.of("kafka", "delete-topic", "--kafka", bootstrap, "--topic", topic, "--yes");
    assertEquals(0, delete.exitCode, delete::toString);
    assertEquals("deleted topic '" + topic + "'\n", delete.out);
    ConsoleRun gone = ConsoleRun.of("kafka", "lag", "--kafka", bootstrap, "--topic", topic);
    assertEquals(Migrate.USER_ERROR, gone.exitCode, gone::toString);
    assertEquals("error: describing " + topic + ": the topic does not exist on " + bootstrap + " (kafka topics lists them)\n",
        gone.err);
    assertFalse(List.of(ConsoleRun.of("kafka", "topics", "--kafka", bootstrap).out.split("\n")).stream()
        .anyMatch(l -> l.startsWith(topic + " ")), "no longer listed");
  }
}
