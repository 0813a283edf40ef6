package io.searchmigrate.snapshot.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class WindowCacheTest {
  private static WindowCache.Key key(String object, long index) {
    return new WindowCache.Key(object, index);
  }

  @Test
  void theLeastRecentlyUsedWindowsGoOnceTheBoundInBytesIsPassed() {
    WindowCache cache = new WindowCache(300);
    cache.put(key("a", 0), new byte[100]);
    cache.put(key("a", 1), new byte[100]);
    cache.put(key("b", 0), new byte[100]);
    cache.get(key("a", 0)); // used again: now the most recent
    cache.put(key("b", 1), new byte[100]);
    assertNull(cache.get(key("a", 1)), "the least recently used window made room");
    assertEquals(3, cache.size());
    assertEquals(300, cache.bytes());
    cache.put(key("c", 0), new byte[150]); // 450 bytes: the two least recently used (b 0, then a 0) go
    assertNull(cache.get(key("b", 0)));
    assertNull(cache.get(key("a", 0)));
    assertEquals(2, cache.size());
    assertEquals(250, cache.bytes());
  }

  @Test
  void anotherVersionOfAnObjectIsAnotherKeyAndAWindowLargerThanTheBoundStaysAlone() {
    WindowCache cache = new WindowCache(100);
    cache.put(key("bucket/k 10 etag1", 0), new byte[] {1});
    assertNull(cache.get(key("bucket/k 10 etag2", 0)));
    assertArrayEquals(new byte[] {1}, cache.get(key("bucket/k 10 etag1", 0)));
    cache.put(key("big", 0), new byte[500]);
    assertEquals(1, cache.size());
    assertEquals(500, cache.bytes());
  }
}
