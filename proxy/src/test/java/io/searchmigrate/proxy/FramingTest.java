package io.searchmigrate.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.searchmigrate.proxy.http.Exchange;
import io.searchmigrate.proxy.http.RequestFramer;
import io.searchmigrate.proxy.http.RequestPart;
import io.searchmigrate.proxy.http.RequestRejected;
import io.searchmigrate.proxy.http.ResponseFramer;
import io.searchmigrate.proxy.http.ResponsePart;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framers find message boundaries however the bytes are cut, and never change a byte. */
class FramingTest {
  private static final String PIPELINE = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
      + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
      + "\r\nPUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: t\r\n\r\n"
      + "HEAD /d HTTP/1.0\n\n";

  @Test
  void requestsAreCutAtTheirBoundariesWhateverTheReadSizes() {
    for (int size : new int[] {1, 2, 7, 64, PIPELINE.length()}) {
      List<Exchange> started = new ArrayList<>();
      EmbeddedChannel channel = new EmbeddedChannel(new RequestFramer(1024, 0, started::add));
      byte[] bytes = PIPELINE.getBytes(StandardCharsets.ISO_8859_1);
      for (int i = 0; i < bytes.length; i += size) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(size, bytes.length - i)));
      }
      List<String> requests = new ArrayList<>();
      ByteArrayOutputStream current = new ByteArrayOutputStream();
      for (Object o; (o = channel.readInbound()) != null; ) {
        RequestPart part = (RequestPart) o;
        current.writeBytes(bytes(part.bytes()));
        if (part.last()) {
          requests.add(part.exchange().index() + " " + part.exchange().method() + " " + current.toString(StandardCharsets.ISO_8859_1));
          current.reset();
        }
      }
      assertEquals(List.of(
          "0 GET GET /a HTTP/1.1\r\nHost: x\r\n\r\n",
          "1 POST POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
          "2 PUT \r\nPUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: t\r\n\r\n",
          "3 HEAD HEAD /d HTTP/1.0\n\n"), requests, "read size " + size);
      assertEquals(List.of("/a", "/b", "/c", "/d"), started.stream().map(Exchange::target).toList());
      assertEquals(0, current.size());
    }
  }

  @Test
  void aHeadArrivingInLargePiecesIsCollectedUpToTheLimit() {
    List<Exchange> started = new ArrayList<>();
    EmbeddedChannel channel = new EmbeddedChannel(new RequestFramer(1024, 0, started::add));
    String head = "GET / HTTP/1.1\r\nX-Long: " + "v".repeat(700) + "\r\n\r\n";
    channel.writeInbound(Unpooled.copiedBuffer(head.substring(0, 650), StandardCharsets.ISO_8859_1));
    channel.writeInbound(Unpooled.copiedBuffer(head.substring(650), StandardCharsets.ISO_8859_1));
    RequestPart part = channel.readInbound();
    assertEquals(head, bytesText(part));
    assertEquals(1, started.size());
  }

  private static String bytesText(RequestPart part) {
    return new String(bytes(part.bytes()), StandardCharsets.ISO_8859_1);
  }

  @Test
  void bodiesStreamWithoutBeingCollected() {
    EmbeddedChannel channel = new EmbeddedChannel(new RequestFramer(1024, 0, e -> { }));
    channel.writeInbound(Unpooled.copiedBuffer("PUT /big HTTP/1.1\r\nContent-Length: 300000\r\n\r\n", StandardCharsets.ISO_8859_1));
    RequestPart head = channel.readInbound();
    assertTrue(head.head() != null && !head.last());
    for (int i = 0; i < 3; i++) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[100_000]));
      RequestPart body = channel.readInbound();
      assertEquals(100_000, body.bytes().readableBytes(), "each read goes on as it came");
      assertEquals(i == 2, body.last());
      body.bytes().release();
    }
    head.bytes().release();
  }

  @Test
  void malformedInputBecomesOneRejection() {
    assertRejected(400, "GET / HTTP/1.1\r\nHost: x\r\n no-folding: allowed\r\n\r\n");
    assertRejected(400, "GET /a b HTTP/1.1\r\n\r\n");
    assertRejected(400, "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
    assertRejected(400, "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n");
    assertRejected(431, "GET / HTTP/1.1\r\nX: " + "y".repeat(2000) + "\r\n\r\n");
    assertRejected(400, "PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcdefgh\r\n");
  }

  private static void assertRejected(int status, String input) {
    EmbeddedChannel channel = new EmbeddedChannel(new RequestFramer(1024, 0, e -> { }));
    channel.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1));
    RequestRejected rejected = null;
    for (Object o; (o = channel.readInbound()) != null; ) {
      if (o instanceof RequestPart p) {
        p.bytes().release();
      } else {
        rejected = assertInstanceOf(RequestRejected.class, o);
      }
    }
    assertEquals(status, rejected == null ? -1 : rejected.status(), input);
    assertTrue(!channel.config().isAutoRead(), "the connection stops reading");
  }

  @Test
  void responsesAreMatchedToRequestsInOrder() {
    ArrayDeque<Exchange> awaiting = new ArrayDeque<>(List.of(new Exchange(0, "HEAD", "/"), new Exchange(1, "POST", "/x"),
        new Exchange(2, "GET", "/y"), new Exchange(3, "GET", "/z")));
    EmbeddedChannel channel = new EmbeddedChannel(new ResponseFramer(awaiting, 1024));
    String responses = "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"      // HEAD: no body despite the length
        + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
        + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
        + "HTTP/1.0 200 OK\r\n\r\nuntil the end";
    byte[] bytes = responses.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < bytes.length; i += 5) {
      channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(5, bytes.length - i)));
    }
    channel.finish(); // the source closes: the last body ends with the connection
    List<String> ends = new ArrayList<>();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Object o; (o = channel.readInbound()) != null; ) {
      ResponsePart part = (ResponsePart) o;
      all.writeBytes(bytes(part.bytes()));
      if (part.last()) {
        ends.add(part.exchange().index() + ":" + part.status());
      }
    }
    assertEquals(List.of("0:200", "1:201", "2:200", "3:200"), ends);
    assertArrayEquals(bytes, all.toByteArray(), "every byte passes, in order");
    assertNull(awaiting.peek());
  }

  private static byte[] bytes(ByteBuf buf) {
    byte[] b = new byte[buf.readableBytes()];
    buf.readBytes(b);
    buf.release();
    return b;
  }
}
