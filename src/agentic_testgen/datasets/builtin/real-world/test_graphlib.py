import graphlib

import pytest


def test_static_order_puts_dependencies_first():
    sorter = graphlib.TopologicalSorter({"app": {"lib", "db"}, "lib": {"db"}})
    order = list(sorter.static_order())
    assert order.index("db") < order.index("lib") < order.index("app")


def test_cycles_are_detected():
    sorter = graphlib.TopologicalSorter({"a": {"b"}, "b": {"a"}})
    with pytest.raises(graphlib.CycleError):
        sorter.prepare()


def test_incremental_processing_with_done():
    sorter = graphlib.TopologicalSorter()
    sorter.add("b", "a")
    sorter.prepare()
    assert sorter.get_ready() == ("a",)
    sorter.done("a")
    assert sorter.get_ready() == ("b",)
    sorter.done("b")
    assert not sorter.is_active()


def test_adding_after_prepare_is_an_error():
    sorter = graphlib.TopologicalSorter()
    sorter.prepare()
    with pytest.raises(ValueError):
        sorter.add("x")
