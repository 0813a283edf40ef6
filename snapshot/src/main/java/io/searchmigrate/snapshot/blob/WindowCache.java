package io.searchmigrate.snapshot.blob;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Windows of remote objects (byte ranges read by one request), least recently used first out once their total passes
 * a bound in bytes. Shared by the readers of a JVM, so memory stays bounded however many objects are open.
 *
 * <pre>{@code
 * WindowCache cache = new WindowCache(32 << 20);
 * byte[] data = cache.get(new WindowCache.Key(objectIdentity, 3));
 * if (data == null) { data = fetch(3); cache.put(new WindowCache.Key(objectIdentity, 3), data); }
 * }</pre>
 */
final class WindowCache {
  /** Window {@code index} of the object {@code identity} (where it is and which version of it). */
  record Key(String identity, long index) {}

  private final long maxBytes;
  private final LinkedHashMap<Key, byte[]> windows = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  WindowCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  synchronized byte[] get(Key key) {
    return windows.get(key);
  }

  /** Whether {@code key} is kept, without counting as a use of it. */
  synchronized boolean contains(Key key) {
    return windows.containsKey(key);
  }

  /** Keeps {@code data}, dropping the least recently used windows beyond the bound (never the one just put). */
  synchronized void put(Key key, byte[] data) {
    byte[] previous = windows.put(key, data);
    bytes += data.length - (previous == null ? 0 : previous.length);
    Iterator<Map.Entry<Key, byte[]>> eldest = windows.entrySet().iterator();
    while (bytes > maxBytes && windows.size() > 1) {
      Map.Entry<Key, byte[]> out = eldest.next();
      bytes -= out.getValue().length;
      eldest.remove();
    }
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized int size() {
    return windows.size();
  }
}
