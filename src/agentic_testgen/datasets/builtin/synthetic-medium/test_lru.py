import pytest
from lru import LRUCache


def test_least_recently_used_key_is_evicted():
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.get("a")
    cache.put("c", 3)
    assert cache.get("b") is None
    assert cache.get("a") == 1


def test_hit_rate_counts_hits_and_misses():
    cache = LRUCache(1)
    cache.put("a", 1)
    cache.get("a")
    cache.get("z")
    assert cache.hit_rate() == 0.5


def test_capacity_zero_is_rejected():
    with pytest.raises(ValueError):
        LRUCache(0)
