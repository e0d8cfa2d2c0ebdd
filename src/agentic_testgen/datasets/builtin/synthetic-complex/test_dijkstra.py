import pytest
from dijkstra import Graph


def build():
    graph = Graph()
    graph.add_edge("a", "b", 4)
    graph.add_edge("a", "c", 1)
    graph.add_edge("c", "b", 2)
    graph.add_edge("b", "d", 5)
    return graph


def test_shortest_path_prefers_cheaper_detour():
    assert build().shortest_path("a", "d") == (["a", "c", "b", "d"], 8)


def test_unreachable_goal():
    graph = build()
    graph.add_edge("x", "y", 1)
    assert graph.shortest_path("a", "x") == (None, float("inf"))


def test_negative_weight_is_rejected():
    with pytest.raises(ValueError):
        Graph().add_edge("a", "b", -1)
