package atg.examples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A least-recently-used cache: a hash map for lookups and a doubly linked list for recency, with
 * hit statistics and an eviction listener.
 */
public final class LruCache<K, V> {
    private static final class Node<K, V> {
        final K key;
        V value;
        Node<K, V> previous;
        Node<K, V> next;

        Node(K key, V value) {
            this.key = key;
            this.value = value;
        }
    }

    private final int capacity;
    private final Map<K, Node<K, V>> nodes = new HashMap<>();
    private final BiConsumer<K, V> onEvict;
    private Node<K, V> newest;
    private Node<K, V> oldest;
    private long hits;
    private long misses;

    public LruCache(int capacity) {
        this(capacity, (key, value) -> {});
    }

    public LruCache(int capacity, BiConsumer<K, V> onEvict) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        if (onEvict == null) {
            throw new IllegalArgumentException("onEvict must not be null");
        }
        this.capacity = capacity;
        this.onEvict = onEvict;
    }

    public int size() {
        return nodes.size();
    }

    public boolean containsKey(K key) {
        return nodes.containsKey(key);
    }

    public Optional<V> get(K key) {
        Node<K, V> node = nodes.get(key);
        if (node == null) {
            misses++;
            return Optional.empty();
        }
        hits++;
        moveToFront(node);
        return Optional.ofNullable(node.value);
    }

    /** Read without touching recency or statistics. */
    public Optional<V> peek(K key) {
        Node<K, V> node = nodes.get(key);
        return node == null ? Optional.empty() : Optional.ofNullable(node.value);
    }

    public void put(K key, V value) {
        if (key == null) {
            throw new IllegalArgumentException("keys must not be null");
        }
        Node<K, V> node = nodes.get(key);
        if (node != null) {
            node.value = value;
            moveToFront(node);
            return;
        }
        node = new Node<>(key, value);
        nodes.put(key, node);
        linkFront(node);
        if (nodes.size() > capacity) {
            Node<K, V> evicted = oldest;
            unlink(evicted);
            nodes.remove(evicted.key);
            onEvict.accept(evicted.key, evicted.value);
        }
    }

    public boolean remove(K key) {
        Node<K, V> node = nodes.remove(key);
        if (node == null) {
            return false;
        }
        unlink(node);
        return true;
    }

    /** Keys from the most to the least recently used. */
    public List<K> keys() {
        List<K> keys = new ArrayList<>(nodes.size());
        for (Node<K, V> node = newest; node != null; node = node.next) {
            keys.add(node.key);
        }
        return keys;
    }

    public double hitRate() {
        long lookups = hits + misses;
        return lookups == 0 ? 0.0 : (double) hits / lookups;
    }

    private void moveToFront(Node<K, V> node) {
        if (node != newest) {
            unlink(node);
            linkFront(node);
        }
    }

    private void linkFront(Node<K, V> node) {
        node.previous = null;
        node.next = newest;
        if (newest != null) {
            newest.previous = node;
        }
        newest = node;
        if (oldest == null) {
            oldest = node;
        }
    }

    private void unlink(Node<K, V> node) {
        if (node.previous != null) {
            node.previous.next = node.next;
        } else {
            newest = node.next;
        }
        if (node.next != null) {
            node.next.previous = node.previous;
        } else {
            oldest = node.previous;
        }
        node.previous = null;
        node.next = null;
    }
}
