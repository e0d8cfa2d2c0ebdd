"""The few panel shapes atg's dashboards use, on Grafana's Foundation SDK: every panel and query
reads the provisioned Prometheus datasource, stat-like panels ask for an instant value, time
series for a range, and panel ids are numbered once the dashboard is laid out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, Self, TypeVar

from grafana_foundation_sdk.builders import bargauge as _bargauge
from grafana_foundation_sdk.builders import gauge as _gauge
from grafana_foundation_sdk.builders import stat as _stat
from grafana_foundation_sdk.builders import table as _table
from grafana_foundation_sdk.builders import timeseries as _timeseries
from grafana_foundation_sdk.builders.common import GraphThresholdsStyleConfig, ReduceDataOptions
from grafana_foundation_sdk.builders.dashboard import Dashboard, DashboardLink, Row
from grafana_foundation_sdk.builders.dashboard import ThresholdsConfig as Thresholds
from grafana_foundation_sdk.builders.prometheus import Dataquery
from grafana_foundation_sdk.cog import variants
from grafana_foundation_sdk.cog.builder import Builder
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import dashboard as model
from grafana_foundation_sdk.models.common import (
    BarGaugeDisplayMode,
    GraphThresholdsStyleMode,
    VizOrientation,
)
from grafana_foundation_sdk.models.prometheus import PromQueryFormat

# the provisioned datasource every panel and query names (provisioning/datasources/atg.yml)
DATASOURCE_UID = "atg-prometheus"
DATASOURCE = model.DataSourceRef(type_val="prometheus", uid=DATASOURCE_UID)
# every atg dashboard carries it; the dashboards link to each other through it
TAG = "atg"

# a color below the first bound, then (bound, color) pairs: Grafana's threshold steps
Steps = tuple[str, tuple[tuple[float, str], ...]]


def green_from(bound: float) -> Steps:
    """Red under `bound`, green from it (a goal)."""
    return ("red", ((bound, "green"),))


def red_from(bound: float) -> Steps:
    """Green under `bound`, red from it (a limit)."""
    return ("green", ((bound, "red"),))


@dataclass(frozen=True)
class Query:
    """One PromQL expression of a panel and the legend of its series (`{{label}}`)."""

    expr: str
    legend: str = ""


class _Panel(Protocol):
    """What every SDK panel builder offers (they share no base class)."""

    def title(self, title: str) -> Self: ...
    def description(self, description: str) -> Self: ...
    def datasource(self, datasource: model.DataSourceRef) -> Self: ...
    def with_target(self, target: Builder[variants.Dataquery]) -> Self: ...
    def unit(self, unit: str) -> Self: ...
    def decimals(self, decimals: float) -> Self: ...
    def min(self, min_val: float) -> Self: ...
    def max(self, max_val: float) -> Self: ...
    def thresholds(self, thresholds: Builder[model.ThresholdsConfig]) -> Self: ...
    def height(self, h: int) -> Self: ...
    def span(self, w: int) -> Self: ...


P = TypeVar("P", bound=_Panel)
# a time series wants a range of values; a stat, gauge or bar the latest; a table its labels too
Read = Literal["range", "instant", "table"]


@dataclass(frozen=True)
class Look:
    """How a panel shows its values: the unit (Grafana's ids: `percentunit`, `s`,
    `currencyUSD`...), the scale and the colored steps, its size on the 24-column grid."""

    unit: str = "short"
    steps: Steps | None = None
    low: float | None = None
    high: float | None = None
    decimals: int | None = None
    width: int = 12
    height: int = 8


def _dress(
    panel: P, title: str, about: str, queries: Sequence[Query], look: Look, *, read: Read
) -> P:
    panel = panel.title(title).description(about).datasource(DATASOURCE).unit(look.unit)
    panel = panel.span(look.width).height(look.height)
    for index, query in enumerate(queries):
        target = Dataquery().expr(query.expr).ref_id(chr(ord("A") + index)).datasource(DATASOURCE)
        if query.legend:
            target = target.legend_format(query.legend)
        target = target.range() if read == "range" else target.instant()
        if read == "table":
            target = target.format(PromQueryFormat.TABLE)
        panel = panel.with_target(target)
    if look.low is not None:
        panel = panel.min(look.low)
    if look.high is not None:
        panel = panel.max(look.high)
    if look.decimals is not None:
        panel = panel.decimals(look.decimals)
    # no steps: one color, rather than Grafana's default of red from 80
    base, bounds = look.steps or ("green", ())
    steps = [model.Threshold(None, base), *(model.Threshold(v, c) for v, c in bounds)]
    return panel.thresholds(Thresholds().mode(model.ThresholdsMode.ABSOLUTE).steps(steps))


def timeseries(title: str, about: str, *queries: Query, look: Look = Look()) -> _timeseries.Panel:
    """Values over time; the threshold steps, if any, are drawn as dashed lines."""
    panel = _dress(_timeseries.Panel(), title, about, queries, look, read="range")
    if look.steps is not None:
        style = GraphThresholdsStyleConfig().mode(GraphThresholdsStyleMode.DASHED)
        panel = panel.thresholds_style(style)
    return panel


def _last() -> ReduceDataOptions:
    return ReduceDataOptions().calcs(["lastNotNull"]).values(False)


def stat(title: str, about: str, *queries: Query, look: Look = Look()) -> _stat.Panel:
    """The current value of each series, as a big number."""
    panel = _dress(_stat.Panel(), title, about, queries, look, read="instant")
    return panel.reduce_options(_last())


def gauge(title: str, about: str, *queries: Query, look: Look = Look()) -> _gauge.Panel:
    """The current value of each series on a dial, with its threshold markers."""
    panel = _dress(_gauge.Panel(), title, about, queries, look, read="instant")
    return panel.reduce_options(_last()).show_threshold_markers(True)


def bars(title: str, about: str, *queries: Query, look: Look = Look()) -> _bargauge.Panel:
    """The current value of each series as a horizontal bar: many series side by side."""
    panel = _dress(_bargauge.Panel(), title, about, queries, look, read="instant")
    panel = panel.reduce_options(_last()).orientation(VizOrientation.HORIZONTAL)
    return panel.display_mode(BarGaugeDisplayMode.GRADIENT)


def table(title: str, about: str, *queries: Query, look: Look = Look()) -> _table.Panel:
    """The current value of each series, one row per label set."""
    return _dress(_table.Panel(), title, about, queries, look, read="table")


def dashboard(
    uid: str, title: str, about: str, parts: Sequence[Builder[model.Panel] | Row]
) -> model.Dashboard:
    """A dashboard of `parts` (rows and panels, laid out left to right, top to bottom), linked
    to the other atg dashboards, its panels numbered from 1."""
    board = (
        Dashboard(title).uid(uid).description(about).tags([TAG]).refresh("1m")
        .time("now-6h", "now").timezone("browser").readonly()
        .link(DashboardLink("atg").type(model.DashboardLinkType.DASHBOARDS).tags([TAG])
              .as_dropdown(True).keep_time(True))
    )  # fmt: skip
    for part in parts:
        board = board.with_row(part) if isinstance(part, Row) else board.with_panel(part)
    built = board.build()
    for number, panel in enumerate(built.panels or (), start=1):
        panel.id_val = number
    return built


def encode(board: model.Dashboard) -> str:
    """The dashboard's JSON, keys sorted, as committed and as Grafana reads it."""
    return JSONEncoder(sort_keys=True, indent=2).encode(board) + "\n"
