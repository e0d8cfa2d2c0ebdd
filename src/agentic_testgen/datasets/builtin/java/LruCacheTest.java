package atg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

class LruCacheTest {
    @Test
    void evictsTheLeastRecentlyUsedEntry() {
        LruCache<String, Integer> cache = new LruCache<>(2);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.get("a");
        cache.put("c", 3);
        assertFalse(cache.containsKey("b"));
        assertEquals(List.of("c", "a"), cache.keys());
        assertEquals(2, cache.size());
    }

    @Test
    void puttingAnExistingKeyRefreshesItWithoutEviction() {
        LruCache<String, Integer> cache = new LruCache<>(2);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.put("a", 10);
        assertEquals(List.of("a", "b"), cache.keys());
        assertEquals(Optional.of(10), cache.get("a"));
    }

    @Test
    void getOnTheNewestKeepsTheOrder() {
        LruCache<String, Integer> cache = new LruCache<>(3);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.get("b");
        cache.get("a");
        assertEquals(List.of("a", "b"), cache.keys());
    }

    @Test
    void peekChangesNeitherRecencyNorStatistics() {
        LruCache<String, Integer> cache = new LruCache<>(2);
        cache.put("a", 1);
        cache.put("b", 2);
        assertEquals(Optional.of(1), cache.peek("a"));
        assertEquals(Optional.empty(), cache.peek("z"));
        cache.put("c", 3);
        assertFalse(cache.containsKey("a"));
        assertEquals(0.0, cache.hitRate());
    }

    @Test
    void theEvictionListenerGetsTheEvictedEntries() {
        List<String> evicted = new ArrayList<>();
        LruCache<String, Integer> cache =
                new LruCache<>(1, (key, value) -> evicted.add(key + "=" + value));
        cache.put("a", 1);
        cache.put("b", 2);
        cache.put("c", 3);
        assertEquals(List.of("a=1", "b=2"), evicted);
    }

    @Test
    void nullValuesAreStoredButReadAsEmpty() {
        LruCache<String, String> cache = new LruCache<>(2);
        cache.put("a", null);
        assertTrue(cache.containsKey("a"));
        assertEquals(Optional.empty(), cache.get("a"));
        assertEquals(Optional.empty(), cache.peek("a"));
    }

    @Test
    void missesCountInTheHitRate() {
        LruCache<String, Integer> cache = new LruCache<>(3);
        cache.put("a", 1);
        assertEquals(Optional.empty(), cache.get("x"));
        cache.get("a");
        cache.get("a");
        assertEquals(2.0 / 3.0, cache.hitRate(), 1e-12);
    }

    @Test
    void removeUnlinksFromAnyPosition() {
        LruCache<Integer, String> cache = new LruCache<>(5);
        for (int i = 1; i <= 4; i++) {
            cache.put(i, "v" + i);
        }
        assertTrue(cache.remove(2));
        assertTrue(cache.remove(4));
        assertTrue(cache.remove(1));
        assertFalse(cache.remove(1));
        assertEquals(List.of(3), cache.keys());
        assertTrue(cache.remove(3));
        assertEquals(List.of(), cache.keys());
        cache.put(7, "again");
        assertEquals(List.of(7), cache.keys());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new LruCache<String, String>(0));
        assertThrows(IllegalArgumentException.class, () -> new LruCache<String, String>(1, null));
        LruCache<String, String> cache = new LruCache<>(1);
        assertThrows(IllegalArgumentException.class, () -> cache.put(null, "x"));
    }
}
