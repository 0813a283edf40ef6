package io.searchmigrate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.searchmigrate.proxy.capture.KafkaCaptureSink;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProducerPropertiesTest {
  @Test
  void theCaptureProducerWaitsForEveryReplicaPushesNoClientMetricsAndTakesTheUsersOverrides() {
    Properties defaults = KafkaCaptureSink.producerProperties("127.0.0.1:9092", 64L << 20, 1 << 20, Map.of());
    assertEquals("all", defaults.get("acks"));
    assertEquals("true", defaults.get("enable.idempotence"));
    assertEquals("false", defaults.get("enable.metrics.push"));

    Properties overridden = KafkaCaptureSink.producerProperties("127.0.0.1:9092", 64L << 20, 1 << 20,
        Map.of("enable.metrics.push", "true", "linger.ms", "20"));
    assertEquals("true", overridden.get("enable.metrics.push"));
    assertEquals("20", overridden.get("linger.ms"));
  }
}
