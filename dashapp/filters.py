"""The one filter object: what the user is looking at.

Parsed once from the page controls, the URL, the API query string or the CLI options, and passed
down to every query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import parse_qs, urlencode

GRANULARITIES = ("day", "week", "month", "quarter", "year")
# Multi-valued dimensions, as named in URLs, the API and the CLI (the CLI spells ship_mode
# --ship-mode).
DIMENSIONS = (
    "category",
    "product",
    "country",
    "customer",
    "status",
    "channel",
    "region",
    "state",
    "city",
    "segment",
    "subcategory",
    "ship_mode",
)
# How a dimension reads in a caption or a chip, where its URL name is not plain words.
_LABELS = {"subcategory": "sub-category", "ship_mode": "ship mode"}


def dimension_label(dimension: str) -> str:
    """A dimension's URL name as words: "ship_mode" -> "ship mode"."""
    return _LABELS.get(dimension, dimension)


# The order's ship-to geography and segment, the product's sub-category and the line's ship
# mode: names that came from imported files, never markup, so a value with a tag in it is a
# forged link rather than a name to look for.
NAMED = ("region", "state", "city", "segment", "subcategory", "ship_mode")
# Bounds on what one parameter may hold: a link or a request over them is refused, not cut.
MAX_VALUES = 50  # values of one dimension
MAX_VALUE_LENGTH = 200  # characters of one value (the columns hold at most 100)
_MARKUP = re.compile(r"<[A-Za-z/!?]")  # a tag has no space after its "<": "A < B" is not one
# Dates outside these bounds are typos, and comparison periods would overflow date arithmetic.
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2999, 12, 31)
MAX_ID = 2**31 - 1


class FilterError(ValueError):
    """A filter parameter that cannot be understood; `field` names it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Filters:
    """Date range (inclusive, None = open) and the selected values of each dimension.

    products are SKUs, customers are customer ids; an empty tuple means "all".
    """

    start: date | None = None
    end: date | None = None
    categories: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    customers: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    # Only orders entered by this user: the Sales role's own view (SPEC §6). Set by the server
    # from the signed-in account, never from a URL, so it is not a query parameter.
    created_by: str | None = None
    # The order's own ship-to geography and segment (orders.ship_region, ship_state,
    # ship_city, segment: as on that order, not the customer record), the product's
    # sub-category, and the line's ship mode.
    regions: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    subcategories: tuple[str, ...] = ()
    ship_modes: tuple[str, ...] = ()

    def for_account(self, account) -> Filters:
        """The filters a signed-in account may see: a sales user sees only the orders they
        entered; other roles see everything."""
        if account is not None and not account.can("view:all"):
            return replace(self, created_by=account.username)
        return self

    def with_range(self, start: date | None, end: date | None) -> Filters:
        """The same filters over another date range."""
        return replace(self, start=start, end=end)

    def values(self, dimension: str) -> tuple:
        """The selected values of one dimension by its URL name."""
        return getattr(self, _ATTR[dimension])

    def with_values(self, dimension: str, values: Iterable[str | int]) -> Filters:
        """The same filters with one dimension's selection replaced (customer ids as ints)."""
        new = tuple(int(v) for v in values) if dimension == "customer" else tuple(values)
        return replace(self, **{_ATTR[dimension]: new})

    def toggled(self, dimension: str, value: str | int) -> Filters:
        """Add `value` to a dimension, or remove it when it is already selected."""
        current = self.values(dimension)
        new = tuple(v for v in current if v != value) if value in current else (*current, value)
        return replace(self, **{_ATTR[dimension]: new})

    def without(self, dimension: str, value: str | int) -> Filters:
        """Remove one value from a dimension."""
        current = self.values(dimension)
        return replace(self, **{_ATTR[dimension]: tuple(v for v in current if v != value)})

    def to_params(self) -> dict[str, list[str]]:
        """The filters as query parameters (the inverse of `from_params`)."""
        params: dict[str, list[str]] = {}
        if self.start:
            params["start"] = [self.start.isoformat()]
        if self.end:
            params["end"] = [self.end.isoformat()]
        for dim in DIMENSIONS:
            vals = self.values(dim)
            if vals:
                params[dim] = [str(v) for v in vals]
        return params

    def to_query(self) -> str:
        """URL query string, e.g. 'start=2024-01-01&country=France'."""
        return urlencode(self.to_params(), doseq=True)

    @classmethod
    def from_params(cls, params: Mapping[str, Iterable[str] | str | None]) -> Filters:
        """Parse query-style parameters; raises FilterError naming the bad field."""

        def many(name: str) -> tuple[str, ...]:
            raw = params.get(name)
            if raw is None:
                return ()
            items = [raw] if isinstance(raw, str) else list(raw)
            out: list[str] = []
            for item in items:
                part = str(item).strip()
                reason = refusal(name, part)
                if reason:
                    raise FilterError(name, reason)
                if part and part not in out:
                    out.append(part)
            if len(out) > MAX_VALUES:
                raise FilterError(name, f"at most {MAX_VALUES} values, got {len(out)}")
            return tuple(out)

        start = _parse_date("start", _one(params.get("start")))
        end = _parse_date("end", _one(params.get("end")))
        if start and end and start > end:
            raise FilterError("end", "must not be before start")
        customers: list[int] = []
        for c in many("customer"):
            # isdigit alone takes "²", which int() refuses; ids are 32-bit in the store.
            if not (c.isascii() and c.isdigit()) or int(c) > MAX_ID:
                raise FilterError("customer", f"expected a customer id, got {c!r}")
            customers.append(int(c))
        statuses = many("status")
        from dashapp.store.models import ORDER_STATUSES

        for s in statuses:
            if s not in ORDER_STATUSES:
                raise FilterError("status", f"unknown status {s!r}")
        # Every other dimension is a list of names, read in _ATTR's order.
        names = {
            attr: many(dim) for dim, attr in _ATTR.items() if dim not in ("customer", "status")
        }
        return cls(start=start, end=end, customers=tuple(customers), statuses=statuses, **names)

    @classmethod
    def from_query(cls, query: str) -> Filters:
        """Parse a URL query string (with or without the leading '?')."""
        return cls.from_params(parse_qs(query.lstrip("?"), keep_blank_values=False))


_ATTR = {
    "category": "categories",
    "product": "products",
    "country": "countries",
    "customer": "customers",
    "status": "statuses",
    "channel": "channels",
    "region": "regions",
    "state": "states",
    "city": "cities",
    "segment": "segments",
    "subcategory": "subcategories",
    "ship_mode": "ship_modes",
}


def refusal(dimension: str, value: str) -> str | None:
    """Why a value of a dimension (URL name) is refused as a filter, or None: a NUL, more
    than MAX_VALUE_LENGTH characters, or markup in a NAMED dimension. The page offers and
    takes only values this accepts, so a view never holds one its link would refuse."""
    if "\x00" in value:  # PostgreSQL text cannot hold NUL; no real value has one
        return "must not contain a NUL character"
    if len(value) > MAX_VALUE_LENGTH:
        return f"a value is at most {MAX_VALUE_LENGTH} characters, got {len(value)}"
    if dimension in NAMED and _MARKUP.search(value):
        return f"must be a name, not markup: {value[:40]!r}"
    return None


def _one(raw: Iterable[str] | str | None) -> str | None:
    if raw is None or isinstance(raw, str):
        return raw or None
    items = [r for r in raw if r]
    return items[-1] if items else None


def _parse_date(name: str, raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise FilterError(name, f"expected a date as YYYY-MM-DD, got {raw!r}") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise FilterError(name, f"must be between {MIN_DATE} and {MAX_DATE}, got {raw!r}")
    return day


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of equal length that ends the day before `start`."""
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def same_period_last_year(start: date, end: date) -> tuple[date, date]:
    """The same calendar dates one year earlier (29 February becomes the 28th)."""

    def back(d: date) -> date:
        try:
            return d.replace(year=d.year - 1)
        except ValueError:
            return d.replace(year=d.year - 1, day=28)

    return back(start), back(end)
