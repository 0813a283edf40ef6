package io.searchmigrate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --on-capture-failure: forward by default, reject when asked, and a clear error when it cannot work. The switchover
 * target's options: its credentials become a header towards it only, and what does not fit together is refused.
 */
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

  @Test
  void targetCredentialsBecomeItsAuthorizationHeaderAndTheSwitchTokenIsRead(@TempDir Path dir) throws Exception {
    Path password = dir.resolve("target.pw");
    Files.writeString(password, "s3cret\n");
    Path token = dir.resolve("switch.token");
    Files.writeString(token, "tok\n");
    ProxyConfig config = parse("--target", "https://os.example:9200", "--target-user", "admin", "--target-password-file",
        password.toString(), "--target-set-header", "X-Opaque-Id=migration", "--switch-token", "file:" + token);
    ProxyConfig.TargetCluster target = config.target();
    assertEquals("https://os.example:9200", target.url().toString());
    assertEquals(9200, target.port());
    assertEquals(List.of("X-Opaque-Id", "Authorization"), target.setHeaders().stream().map(CaptureRules.SetHeader::name).toList());
    assertEquals("Basic " + Base64.getEncoder().encodeToString("admin:s3cret".getBytes()), target.setHeaders().get(1).value());
    assertEquals("tok", target.switchToken());
    assertFalse(target.toString().contains("tok\n") || target.toString().contains("s3cret"), target.toString());
    assertFalse(target.startThere());
    assertFalse(target.insecure());
    assertFalse(config.rules().setsHeaders(), "credentials for the target are never sent to the source");
    assertTrue(parse("--target", "http://127.0.0.1:9201", "--mode", "target").target().startThere());
    assertNull(parse().target());
  }

  @Test
  void targetOptionsThatDoNotFitAreRefusedWithWhatToChange() {
    assertEquals("--mode target and the --target-* and --switch-token options need --target URL",
        assertThrows(IllegalArgumentException.class, () -> parse("--mode", "target")).getMessage());
    assertEquals("--mode 'both' is not a choice; expected source or target",
        assertThrows(IllegalArgumentException.class, () -> parse("--target", "http://h:1", "--mode", "both")).getMessage());
    assertEquals("--target-ca and --target-insecure contradict each other: pick one", assertThrows(IllegalArgumentException.class,
        () -> parse("--target", "https://h:1", "--target-ca", "ca.pem", "--target-insecure")).getMessage());
    assertEquals("--target takes only scheme, host and port (the proxy forwards each request's own path; for credentials use "
        + "--target-user with --target-password-env VAR, or --target-set-header Authorization=env:VAR)",
        assertThrows(IllegalArgumentException.class, () -> parse("--target", "http://user:pw@h:1")).getMessage());
    assertEquals("--target-user admin needs its password from one of --target-password-env VAR or --target-password-file FILE",
        assertThrows(IllegalArgumentException.class, () -> parse("--target", "http://h:1", "--target-user", "admin")).getMessage());
    assertEquals("--target 'ftp://h:1' is not an http(s) URL; expected http(s)://host:port",
        assertThrows(IllegalArgumentException.class, () -> parse("--target", "ftp://h:1")).getMessage());
  }
}
