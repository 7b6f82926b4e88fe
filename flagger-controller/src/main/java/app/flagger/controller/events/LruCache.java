package app.flagger.controller.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that forgets its least recently used entry once it holds {@code capacity} entries, as
 * client-go's {@code lru.Cache} does for the event correlator. Not thread-safe: its owner
 * serializes access.
 */
final class LruCache<K, V> {
  private final LinkedHashMap<K, V> entries;

  LruCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("cache capacity must be at least 1: " + capacity);
    }
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The value of {@code key}, or null; a hit makes the entry the most recently used. */
  V get(K key) {
    return entries.get(key);
  }

  /** Stores {@code value} as the most recently used entry, evicting the least recently used. */
  void put(K key, V value) {
    entries.put(key, value);
  }

  int size() {
    return entries.size();
  }
}
