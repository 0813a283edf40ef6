package io.searchmigrate.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CredentialRedactionTest {
  @Test
  void credentialValuesInTheHeadAreMarkedAndNothingElseChanges() {
    String m = CredentialRedaction.MARKER;
    byte[] in = ("POST /i/_doc HTTP/1.1\r\nHost: h\r\nauthorization:Basic abc\r\nX-API-Key: k1\r\nCookie: a=b\r\n"
        + "Content-Length: 22\r\n\r\nAuthorization: in-body").getBytes(StandardCharsets.ISO_8859_1);
    assertEquals("POST /i/_doc HTTP/1.1\r\nHost: h\r\nauthorization:" + m + "\r\nX-API-Key: " + m + "\r\nCookie: " + m + "\r\n"
        + "Content-Length: 22\r\n\r\nAuthorization: in-body",
        new String(CredentialRedaction.redactHead(in), StandardCharsets.ISO_8859_1));
  }

  @Test
  void aHeadWithoutCredentialsIsReturnedAsItIs() {
    byte[] in = "GET / HTTP/1.1\r\nHost: h\r\nX-Opaque-Id: 1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    assertSame(in, CredentialRedaction.redactHead(in));
  }

  @Test
  void credentialHeaderNamesAreKnownInAnyCaseAndOthersAreNot() {
    for (String name : java.util.List.of("Authorization", "PROXY-AUTHORIZATION", "cookie", "Set-Cookie", "set-cookie2",
        "X-Api-Key", "x-apikey", "My_API_KEY", "X-Amz-Security-Token", "TOKEN", " authorization ")) {
      assertEquals(true, CredentialRedaction.isCredential(name), name);
    }
    for (String name : java.util.List.of("Host", "Content-Type", "X-Opaque-Id", "Tok", "api", "X-Api", "Apikee",
        "Authorization-Info", "", "a")) {
      assertEquals(false, CredentialRedaction.isCredential(name), name);
    }
  }
}
