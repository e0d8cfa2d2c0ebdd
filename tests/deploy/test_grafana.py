"""Grafana provisioning and dashboards: the committed files are what the code builds, and each
dashboard holds together (uids, panel ids, layout, the datasource, current panel types) and reads
only families the exporter serves, each the way its type wants."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from agentic_testgen.config import SloSettings
from agentic_testgen.deploy import DeployTarget
from agentic_testgen.deploy._grafana import DASHBOARDS_PATH, files
from agentic_testgen.observability.slo import objectives
from agentic_testgen.signals.definitions import BY_NAME

ROOT = Path(__file__).resolve().parents[2]
PANEL_TYPES = {"timeseries", "stat", "gauge", "bargauge", "table"}
HISTOGRAM_SERIES = ("_bucket", "_count", "_sum")
# PromQL words that look like names: aggregation modifiers, set operators, literals
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
            "and", "or", "unless", "inf", "nan"}  # fmt: skip

Board = dict[str, Any]


def boards(target: DeployTarget | None = None) -> dict[str, Board]:
    built = files(target or DeployTarget())
    return {Path(p).stem: json.loads(text) for p, text in built.items() if p.endswith(".json")}


def panels(board: Board) -> list[dict[str, Any]]:
    return [panel for panel in board["panels"] if panel["type"] != "row"]


def expressions(board: Board) -> list[str]:
    return [target["expr"] for panel in panels(board) for target in panel["targets"]]


def metric_names(expr: str) -> list[tuple[str, str | None]]:
    """Each series name an expression selects, with the function it is the argument of."""
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', expr)  # label values
    text = re.sub(r"\{[^}]*\}", "", text)  # matchers
    text = re.sub(r"\[[^\]]*\]", "", text)  # range windows
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    found: list[tuple[str, str | None]] = []
    for match in re.finditer(r"(?<![\w:.])[A-Za-z_:][\w:]*", text):
        name = match.group()
        if name.lower() in KEYWORDS or text[match.end() :].lstrip().startswith("("):
            continue  # a keyword or a function
        outer = re.search(r"([A-Za-z_]\w*)\s*\(\s*$", text[: match.start()])
        found.append((name, outer.group(1) if outer else None))
    return found


def family_of(name: str) -> str | None:
    if name in BY_NAME:
        return name
    for suffix in HISTOGRAM_SERIES:
        base = name.removesuffix(suffix)
        if base != name and base in BY_NAME and BY_NAME[base].kind == "histogram":
            return base
    return None


def test_the_committed_files_are_what_the_code_builds() -> None:
    built = files(DeployTarget())
    for path, text in built.items():
        committed = ROOT / "deploy" / path
        assert committed.is_file(), f"deploy/{path} is missing: run `atg deploy render`"
        assert committed.read_text(encoding="utf-8") == text, (
            f"deploy/{path} differs from what the code builds: run `atg deploy render`"
        )
    tree = (ROOT / "deploy" / "grafana").rglob("*")
    on_disk = {p.relative_to(ROOT / "deploy").as_posix() for p in tree if p.is_file()}
    assert on_disk == set(built)


def test_five_dashboards_with_their_own_uids_ids_and_a_grid_that_holds_them() -> None:
    found = boards()
    assert len(found) == 5
    assert sorted(board["uid"] for board in found.values()) == sorted(found)  # uid = file name
    for uid, board in found.items():
        assert isinstance(board["schemaVersion"], int) and board["title"].startswith("atg / ")
        ids = [panel["id"] for panel in board["panels"]]
        assert len(ids) == len(set(ids)) and all(isinstance(i, int) and i > 0 for i in ids), uid
        cells: set[tuple[int, int]] = set()
        for panel in board["panels"]:
            grid = panel["gridPos"]
            assert grid["x"] + grid["w"] <= 24, (uid, panel["title"])
            area = {(grid["x"] + dx, grid["y"] + dy)
                    for dx in range(grid["w"]) for dy in range(grid["h"])}  # fmt: skip
            assert not area & cells, f"{uid}: {panel['title']} overlaps another panel"
            cells |= area


def test_every_panel_and_query_reads_the_provisioned_datasource() -> None:
    built = files(DeployTarget())
    [source] = yaml.safe_load(built["grafana/provisioning/datasources/atg.yml"])["datasources"]
    assert source["type"] == "prometheus" and source["url"] == "http://prometheus:9090"
    expected = {"type": "prometheus", "uid": source["uid"]}
    for uid, board in boards().items():
        for panel in panels(board):
            assert panel["datasource"] == expected, (uid, panel["title"])
            assert panel["targets"], (uid, panel["title"])
            for target in panel["targets"]:
                assert target["datasource"] == expected, (uid, panel["title"])
                assert target["refId"] and target["expr"]
            refs = [target["refId"] for target in panel["targets"]]
            assert len(refs) == len(set(refs))


def test_panels_are_current_visualizations_never_the_deprecated_graph() -> None:
    for uid, board in boards().items():
        kinds = {panel["type"] for panel in panels(board)}
        assert kinds <= PANEL_TYPES, (uid, kinds - PANEL_TYPES)
        assert "graph" not in {panel["type"] for panel in board["panels"]}


def test_the_metric_name_parser_skips_functions_labels_windows_and_keywords() -> None:
    latency = next(s for s in objectives() if s.name == "generation_latency")
    assert set(metric_names(latency.error_promql("5m"))) == {
        ("test_generation_duration_seconds_count", "rate"),
        ("test_generation_duration_seconds_bucket", "rate"),
    }
    expr = ('histogram_quantile(0.99, sum by (le, model) (rate(x_bucket{a="b(c)"}[$__rate_'
            'interval]))) / on (job) group_left y * 1e3 and bool z')  # fmt: skip
    assert metric_names(expr) == [("x_bucket", "rate"), ("y", None), ("z", None)]


def test_every_metric_a_query_reads_is_a_family_the_exporter_serves() -> None:
    for uid, board in boards().items():
        for expr in expressions(board):
            names = metric_names(expr)
            assert names, f"{uid}: no metric in {expr}"
            unknown = [name for name, _ in names if family_of(name) is None]
            assert not unknown, f"{uid}: {unknown} in {expr}"


def test_counters_and_histograms_are_read_through_rate_or_increase_gauges_as_they_are() -> None:
    for uid, board in boards().items():
        for expr in expressions(board):
            for name, outer in metric_names(expr):
                family = BY_NAME[family_of(name) or name]
                if family.kind == "gauge":
                    assert outer not in {"rate", "increase"}, f"{uid}: {expr}"
                else:
                    assert outer in {"rate", "increase"}, f"{uid}: {name} bare in {expr}"
            if "histogram_quantile" in expr:
                assert re.search(r"histogram_quantile\([\d.]+, sum by \(le\b.*_bucket", expr), expr


def test_the_slo_dashboard_reads_each_objectives_own_expressions() -> None:
    held = set(expressions(boards()["atg-slos"]))
    for slo in objectives():
        for window in ("1h", "6h", "3d"):
            assert slo.burn_rate_promql(window) in held, (slo.name, window)
        assert f"1 - ({slo.burn_rate_promql('30d')})" in held, slo.name


def test_the_rendering_follows_the_target() -> None:
    target = DeployTarget(prometheus="prom.example:9091", scrape_interval="30s",
                          slo=SloSettings(cost_per_test_usd=0.25, window_days=0.5))  # fmt: skip
    built = files(target)
    [source] = yaml.safe_load(built["grafana/provisioning/datasources/atg.yml"])["datasources"]
    assert source["url"] == "http://prom.example:9091"
    assert source["jsonData"]["timeInterval"] == "30s"
    found = boards(target)
    assert any("[12h]" in expr for expr in expressions(found["atg-slos"]))  # half a day
    cost = next(p for p in panels(found["atg-llm"]) if p["title"] == "Cost per kept test by tag")
    assert cost["fieldConfig"]["defaults"]["thresholds"]["steps"][1] == {
        "color": "red", "value": 0.25,
    }  # fmt: skip


def test_the_provider_loads_the_folder_the_compose_file_mounts() -> None:
    built = files(DeployTarget())
    [provider] = yaml.safe_load(built["grafana/provisioning/dashboards/atg.yml"])["providers"]
    assert provider["type"] == "file" and provider["options"]["path"] == DASHBOARDS_PATH
    assert not provider["allowUiUpdates"]


@pytest.mark.parametrize("uid", sorted(boards()))
def test_the_docs_list_each_dashboard_and_its_panels(uid: str) -> None:
    docs = (ROOT / "docs" / "observability.md").read_text(encoding="utf-8")
    assert f"`{uid}`" in docs
    for panel in panels(boards()[uid]):
        # the SLO dashboard repeats "Burn rate: <slo>" and the like for each objective
        assert panel["title"].split(":")[0] in docs, panel["title"]
