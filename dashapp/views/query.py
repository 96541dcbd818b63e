"""A view's query string: the filters as dashapp.filters reads and writes them, then the page's
settings (date preset, granularity, the Overview's top N), in one canonical order, so the same
view always reads the same and a stored view stays valid when parsed again."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode

from sqlalchemy import Connection, select

from dashapp.filters import DIMENSIONS, GRANULARITIES, FilterError, Filters
from dashapp.store.models import Customer, Order, OrderLine, Product
from dashapp.validation import FieldError, ValidationError

MAX_QUERY = 8000
# The page's settings a view keeps beside its filters, each with its check: what
# dashapp.ui.view reads from a link (a value it would not take is refused here, not dropped).
SETTINGS = {
    "range": re.compile(r"(all|custom|mtd|qtd|ytd|[1-9][0-9]{0,3}d)"),
    "granularity": re.compile("|".join(GRANULARITIES)),
    "top": re.compile(r"(5|6|7|8|9|1[0-9]|20)"),
    "top_by": re.compile(r"(revenue|units)"),
}
_FILTER_KEYS = ("start", "end", *DIMENSIONS)


def _refused(message: str) -> ValidationError:
    return ValidationError([FieldError("query", message)])


def canonical_query(query: str | None) -> str:
    """The canonical form of a page's query string (with or without its '?'); a parameter
    the page would not understand is refused naming it, and nothing is saved."""
    query = (query or "").strip().lstrip("?")
    if len(query) > MAX_QUERY:
        raise _refused(f"is too long: {len(query)} characters, at most {MAX_QUERY}")
    params = parse_qs(query, keep_blank_values=False)
    unknown = sorted(set(params) - set(_FILTER_KEYS) - set(SETTINGS))
    if unknown:
        raise _refused(f"unknown parameter {unknown[0][:40]!r}")
    try:
        filters = Filters.from_params(params)
    except FilterError as exc:
        raise _refused(str(exc)) from None
    out = filters.to_params()
    for key, pattern in SETTINGS.items():
        values = params.get(key)
        if not values:
            continue
        value = values[-1].strip()
        if not pattern.fullmatch(value):
            raise _refused(f"{key}: not a setting the page knows ({value[:40]!r})")
        out[key] = [value]
    if filters.start or filters.end:  # dates make the range custom, as on the page
        out["range"] = ["custom"]
    return urlencode(out, doseq=True)


def view_filters(query: str) -> Filters:
    """The filters of a stored (canonical) query."""
    return Filters.from_query(query)


_o, _p, _l, _c = Order.__table__, Product.__table__, OrderLine.__table__, Customer.__table__
# Where each dimension's values live (status is a fixed list, always known).
_STORED = {
    "category": _p.c.category,
    "product": _p.c.sku,
    "country": _o.c.country,
    "customer": _c.c.id,
    "channel": _o.c.channel,
    "region": _o.c.ship_region,
    "state": _o.c.ship_state,
    "city": _o.c.ship_city,
    "segment": _o.c.segment,
    "subcategory": _p.c.sub_category,
    "ship_mode": _l.c.ship_mode,
}


def missing_values(conn: Connection, filters: Filters) -> list[str]:
    """One line per selected value the data no longer has, e.g. "category 'Boats'", so a
    view that names them still opens and says why it shows nothing."""
    missing = []
    for dim, column in _STORED.items():
        selected = filters.values(dim)
        if not selected:
            continue
        found = set(conn.execute(select(column).where(column.in_(selected)).distinct()).scalars())
        missing += [f"{dim.replace('_', ' ')} {v!r}" for v in selected if v not in found]
    return missing
