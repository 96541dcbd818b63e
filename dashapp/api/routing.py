"""The route table's vocabulary: parameters and routes, and the query-string parser.

One `Route` per API operation lists its parameters, permission and summary; the blueprint and
the OpenAPI document are both generated from the same list, so they cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from dashapp.api.errors import bad_parameter
from dashapp.filters import MAX_ID, FilterError, Filters
from dashapp.store.models import ORDER_STATUSES

Kind = Literal["string", "integer", "number", "date"]
# The API takes dates exactly as documented (format: date); Filters alone is more lenient.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Param:
    """One query or path parameter, with the bounds the parser enforces."""

    name: str
    kind: Kind
    description: str
    enum: tuple[Any, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None
    many: bool = False  # may be repeated (?country=France&country=Spain)
    location: Literal["query", "path"] = "query"
    empty_means_all: bool = False  # "?country=" is the same as no country filter

    def parse(self, raw: str) -> Any:
        """The typed value of one raw string; raises a 400 ApiError naming the parameter."""
        value: Any = raw
        if self.kind in ("integer", "number"):
            value = _number(self, raw)
        if self.enum is not None and value not in self.enum:
            choices = ", ".join(str(v) for v in self.enum)
            raise bad_parameter(self.name, f"must be one of {choices}, got {raw!r}")
        if self.minimum is not None and value < self.minimum:
            raise bad_parameter(self.name, f"must be at least {self.minimum}, got {raw!r}")
        if self.maximum is not None and value > self.maximum:
            raise bad_parameter(self.name, f"must be at most {self.maximum}, got {raw!r}")
        return value


def _number(param: Param, raw: str) -> int | float:
    text = raw
    if param.kind == "integer":
        # isdigit alone would take "²" and other Unicode digits that int() refuses.
        if not (text.isascii() and text.lstrip("-").isdigit()):
            raise bad_parameter(param.name, f"expected a whole number, got {raw!r}")
        return int(text)
    try:
        return float(text)
    except ValueError:
        raise bad_parameter(param.name, f"expected a number, got {raw!r}") from None


def _filter(name: str, kind: Kind, description: str, **bounds: Any) -> Param:
    return Param(name, kind, description, empty_means_all=True, **bounds)


def _repeatable(name: str, kind: Kind, what: str, **bounds: Any) -> Param:
    """A filter given once per value it allows: "Product line; repeat for several."."""
    return _filter(name, kind, f"{what}; repeat for several.", many=True, **bounds)


# The filter parameters every analytics route takes (SPEC §3), parsed by Filters.
FILTER_PARAMS: tuple[Param, ...] = (
    _filter("start", "date", "First day, inclusive (YYYY-MM-DD); open when absent."),
    _filter("end", "date", "Last day, inclusive (YYYY-MM-DD); open when absent."),
    _repeatable("category", "string", "Product line"),
    _repeatable("product", "string", "Product SKU"),
    _repeatable("country", "string", "Ship-to country"),
    _repeatable("customer", "integer", "Customer id", minimum=0, maximum=MAX_ID),
    _repeatable("status", "string", "Order status", enum=ORDER_STATUSES),
    _repeatable("channel", "string", "Sales channel"),
    _repeatable("region", "string", "Ship-to region of the order"),
    _repeatable("state", "string", "Ship-to state or province of the order"),
    _repeatable("city", "string", "Ship-to city of the order"),
    _repeatable("segment", "string", "Customer segment as on the order (not the customer record)"),
    _repeatable("subcategory", "string", "Product sub-category"),
    _filter(
        "ship_mode",
        "string",
        "Ship mode of the line: figures from the lines shipped so; an order with lines of two "
        "modes counts once in each. Repeat for several.",
        many=True,
    ),
)


@dataclass(frozen=True)
class Call:
    """What a view gets: the engine, the parsed filters and parameters, and the caller."""

    engine: Any
    filters: Filters
    args: Mapping[str, Any]
    account: Any
    body: Any = None


@dataclass(frozen=True)
class Route:
    """One API operation. `path` is in OpenAPI form ("/orders/{order_id}")."""

    method: Literal["GET", "POST", "PUT", "DELETE"]
    path: str
    name: str
    summary: str
    view: Callable[[Call], Any]
    permission: str | None = "view"  # None: public
    params: tuple[Param, ...] = ()
    filters: bool = False  # takes FILTER_PARAMS
    body_schema: dict | None = None
    response_schema: dict = field(default_factory=lambda: {"type": "object"})
    success: int = 200
    errors: tuple[int, ...] = ()  # statuses beyond the ones every route may answer

    @property
    def filter_params(self) -> tuple[Param, ...]:
        """The filter parameters this route takes. Where one of its own parameters has a filter's
        name (/rfm's `segment` is the RFM segment), the filter is `order_<name>` here, as the
        CLI's --order-segment."""
        if not self.filters:
            return ()
        own = {p.name for p in self.params}
        return tuple(
            replace(p, name=f"order_{p.name}") if p.name in own else p for p in FILTER_PARAMS
        )

    @property
    def all_params(self) -> tuple[Param, ...]:
        return self.filter_params + self.params

    @property
    def flask_rule(self) -> str:
        """The Werkzeug rule: "{order_id}" becomes "<order_id>"; the value is parsed by its Param
        (parse_path), so "/orders/abc" is a 400 naming the parameter on every method, not a 405
        from the GET-only catch-all."""
        rule = self.path
        for p in self.params:
            if p.location == "path":
                rule = rule.replace("{" + p.name + "}", f"<{p.name}>")
        return rule


def parse_path(route: Route, values: Mapping[str, str]) -> dict[str, Any]:
    """The typed path parameters of a request (400 for a bad one)."""
    params = {p.name: p for p in route.params if p.location == "path"}
    return {name: params[name].parse(raw) for name, raw in values.items()}


def parse_query(route: Route, query: Mapping[str, Sequence[str]]) -> tuple[Filters, dict]:
    """Filters and typed parameters from a query string; unknown or bad ones are a 400."""
    known = {p.name: p for p in route.all_params if p.location == "query"}
    for name, raws in query.items():
        if name not in known:
            accepted = ", ".join(sorted(known)) or "no parameters"
            raise bad_parameter(name, f"unknown parameter; this route takes {accepted}")
        if any("\x00" in raw for raw in raws):  # PostgreSQL text cannot hold NUL
            raise bad_parameter(name, "must not contain a NUL character")
    for param in route.all_params:
        if param.kind == "date":
            for raw in query.get(param.name, ()):
                if raw and not _ISO_DATE.fullmatch(raw):
                    raise bad_parameter(param.name, f"expected a date as YYYY-MM-DD, got {raw!r}")
    filters = Filters()
    if route.filters:
        try:
            renamed = {p.name: p.name.removeprefix("order_") for p in route.filter_params}
            given = {renamed[k]: v for k, v in query.items() if k in renamed}
            filters = Filters.from_params(given)
        except FilterError as exc:
            raise bad_parameter(exc.field, exc.reason) from None
    args: dict[str, Any] = {}
    for param in route.params:
        if param.location != "query":
            continue
        raw = query.get(param.name)
        if not raw:
            args[param.name] = param.default
        elif len(raw) > 1 and not param.many:
            raise bad_parameter(param.name, "give this parameter once")
        else:
            values = [param.parse(r) for r in raw]
            args[param.name] = values if param.many else values[0]
    return filters, args
