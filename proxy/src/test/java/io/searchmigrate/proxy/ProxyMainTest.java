package io.searchmigrate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --on-capture-failure: forward by default, reject when asked, and a clear error when it cannot work. */
class ProxyMainTest {
  private static ProxyConfig parse(String... extra) {
    List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--source", "http://127.0.0.1:9200", "--kafka",
        "127.0.0.1:9092", "--topic", "t"));
    args.addAll(List.of(extra));
    return ProxyMain.parse(args);
  }

  @Test
  void forwardIsTheDefaultAndRejectIsChosenByName() {
    assertEquals(ProxyConfig.OnCaptureFailure.FORWARD, parse().onCaptureFailure());
    assertEquals(ProxyConfig.OnCaptureFailure.REJECT, parse("--on-capture-failure", "reject").onCaptureFailure());
    assertEquals(ProxyConfig.OnCaptureFailure.FORWARD, parse("--on-capture-failure", "Forward").onCaptureFailure());
  }

  @Test
  void rejectWithoutHoldingIsRefusedWithWhatToChange() {
    assertEquals("--on-capture-failure reject needs writes held for their capture: drop --no-hold-mutating",
        assertThrows(IllegalArgumentException.class, () -> parse("--on-capture-failure", "reject", "--no-hold-mutating")).getMessage());
    assertEquals("--on-capture-failure reject needs writes held for their capture: drop --hold-timeout 0",
        assertThrows(IllegalArgumentException.class, () -> parse("--on-capture-failure", "reject", "--hold-timeout", "0")).getMessage());
    assertEquals("--on-capture-failure 'drop' is not a choice; expected forward (serve clients whatever Kafka does) or reject "
        + "(503 rather than an uncaptured write)",
        assertThrows(IllegalArgumentException.class, () -> parse("--on-capture-failure", "drop")).getMessage());
  }
}
