package io.searchmigrate.common.http;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent SigV4 written from AWS's published description (canonical request, string to sign, derived key), for
 * tests: it reproduces the AWS SigV4 test suite's vectors, and the client's signatures are checked against it. Paths
 * are encoded twice, as for every service but S3.
 */
final class SigV4Reference {
  private SigV4Reference() {}

  /** The Authorization header for a request whose signed headers (lower-case names) are exactly {@code headers}. */
  static String authorization(String method, URI uri, Map<String, String> headers, byte[] body, String accessKey, String secret,
      String region, String service) {
    Map<String, String> sorted = new TreeMap<>(headers);
    StringBuilder canonicalHeaders = new StringBuilder();
    sorted.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value.strip()).append('\n'));
    String signedHeaders = String.join(";", sorted.keySet());
    String canonicalRequest = method + "\n" + canonicalPath(uri.getRawPath()) + "\n" + canonicalQuery(uri.getRawQuery()) + "\n"
        + canonicalHeaders + "\n" + signedHeaders + "\n" + sha256Hex(body);
    String amzDate = headers.get("x-amz-date");
    String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
    for (String part : List.of(region, service, "aws4_request")) {
      key = hmac(key, part);
    }
    return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ", SignedHeaders=" + signedHeaders + ", Signature="
        + HexFormat.of().formatHex(hmac(key, stringToSign));
  }

  /** Each segment of the (already encoded) path encoded once more. */
  private static String canonicalPath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    return encode(rawPath, false);
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    TreeMap<String, List<String>> params = new TreeMap<>();
    for (String pair : rawQuery.split("&")) {
      String[] kv = pair.split("=", 2);
      String name = encode(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), true);
      String value = kv.length > 1 ? encode(URLDecoder.decode(kv[1], StandardCharsets.UTF_8), true) : "";
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    List<String> parts = new ArrayList<>();
    params.forEach((name, values) -> values.stream().sorted().forEach(v -> parts.add(name + "=" + v)));
    return String.join("&", parts);
  }

  /** RFC 3986 percent-encoding of everything but unreserved characters (and '/' when it separates path segments). */
  private static String encode(String text, boolean encodeSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
          || c == '~' || (c == '/' && !encodeSlash)) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return out.toString();
  }

  static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
