"""What the page shows, as a value: filters, date preset, granularity and the Overview's top-N
settings, to and from the URL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import parse_qs, urlencode

from dashapp.filters import GRANULARITIES, FilterError, Filters

PRESETS = {
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "mtd": "Month to date",
    "qtd": "Quarter to date",
    "ytd": "Year to date",
    "all": "All time",
    "custom": "Custom range",
}
DEFAULT_PRESET = "all"
DEFAULT_GRANULARITY = "month"
# The Overview's "top N products and customers": how many (5-20) and ranked by what.
TOP_N_MIN, TOP_N_MAX, DEFAULT_TOP_N = 5, 20, 10
TOP_BY = ("revenue", "units")
DEFAULT_TOP_BY = "revenue"


@dataclass(frozen=True)
class View:
    """Filters plus how to show them. With a preset other than 'custom', the dates follow the
    data: "last 30 days" means the 30 days up to the latest order, so a shared link stays live."""

    filters: Filters = Filters()
    preset: str = DEFAULT_PRESET
    granularity: str = DEFAULT_GRANULARITY
    top_n: int = DEFAULT_TOP_N
    top_by: str = DEFAULT_TOP_BY

    @property
    def relative(self) -> bool:
        """Whether the dates follow the data ("last 90 days"), so the same link shows other
        days once newer orders arrive."""
        return self.preset not in ("all", "custom")

    def to_query(self) -> str:
        params = self.filters.to_params()
        if self.preset != "custom":
            params.pop("start", None)
            params.pop("end", None)
        if self.preset != DEFAULT_PRESET:
            params["range"] = [self.preset]
        if self.granularity != DEFAULT_GRANULARITY:
            params["granularity"] = [self.granularity]
        if self.top_n != DEFAULT_TOP_N:
            params["top"] = [str(self.top_n)]
        if self.top_by != DEFAULT_TOP_BY:
            params["top_by"] = [self.top_by]
        return urlencode(params, doseq=True)

    def resolved(self, last_day: date | None) -> View:
        """The view with the preset turned into concrete dates."""
        if self.preset == "custom" or last_day is None:
            return self
        return replace(self, filters=self.filters.with_range(*preset_range(self.preset, last_day)))

    def with_exact_dates(self, last_day: date | None) -> View:
        """The same view pinned to the dates it shows now: a link that keeps showing them."""
        resolved = self.resolved(last_day)
        if not (resolved.filters.start and resolved.filters.end):
            return self
        return replace(resolved, preset="custom")


def preset_range(preset: str, last_day: date) -> tuple[date | None, date | None]:
    """The dates of a preset, ending at `last_day` (None = open: all time)."""
    if preset == "all":
        return None, None
    if preset.endswith("d") and preset[:-1].isdigit():
        return last_day - timedelta(days=int(preset[:-1]) - 1), last_day
    if preset == "mtd":
        return last_day.replace(day=1), last_day
    if preset == "qtd":
        return last_day.replace(month=(last_day.month - 1) // 3 * 3 + 1, day=1), last_day
    if preset == "ytd":
        return last_day.replace(month=1, day=1), last_day
    raise ValueError(f"unknown date preset {preset!r}")


def view_from_query(search: str | None) -> tuple[View, str | None]:
    """Parse a URL query; a bad parameter gives the default for it and a message."""
    query = (search or "").lstrip("?")
    params = parse_qs(query)
    message = None
    try:
        filters = Filters.from_params(params)
    except FilterError as exc:
        filters, message = Filters(), f"Ignored the link's filters: {exc}"
    preset = (params.get("range") or [None])[-1]
    if filters.start or filters.end:
        preset = "custom"
    if preset not in PRESETS:
        preset = DEFAULT_PRESET
    granularity = (params.get("granularity") or [DEFAULT_GRANULARITY])[-1]
    if granularity not in GRANULARITIES:
        granularity = DEFAULT_GRANULARITY
    view = View(
        filters=filters,
        preset=preset,
        granularity=granularity,
        top_n=top_n_of((params.get("top") or [None])[-1]),
        top_by=top_by_of((params.get("top_by") or [None])[-1]),
    )
    return view, message


def top_n_of(value: object) -> int:
    """A top-N count from a link or the slider: 5 to 20, else the default."""
    try:
        n = int(str(value))
    except ValueError:
        return DEFAULT_TOP_N
    return n if TOP_N_MIN <= n <= TOP_N_MAX else DEFAULT_TOP_N


def top_by_of(value: object) -> str:
    return value if value in TOP_BY else DEFAULT_TOP_BY


def with_top(search: str | None, top_n: object, top_by: object) -> str:
    """The URL query `search` with the Overview's top-N settings in it ("" for none)."""
    view, _ = view_from_query(search)
    query = replace(view, top_n=top_n_of(top_n), top_by=top_by_of(top_by)).to_query()
    return f"?{query}" if query else ""


def view_from_controls(
    url_view: View,
    preset: str | None,
    start: str | None,
    end: str | None,
    selected: Mapping[str, Iterable[str | int] | None],
    granularity: str | None,
) -> View:
    """The view after a change of the header's controls: what they show replaces the view in
    the URL, dimension by dimension. A dimension the header has no control for (channel, which
    only a link sets) keeps the URL's values, so a control change never drops it unseen."""
    filters = url_view.filters.with_range(
        date.fromisoformat(start[:10]) if start else None,
        date.fromisoformat(end[:10]) if end else None,
    )
    for dimension, values in selected.items():
        filters = filters.with_values(dimension, values or ())
    return replace(
        url_view,
        filters=filters,
        preset=preset or DEFAULT_PRESET,
        granularity=granularity or DEFAULT_GRANULARITY,
    )
