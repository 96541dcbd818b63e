"""The API's views and its route table.

Each view parses nothing itself (the dispatcher hands it a `Call` with the filters and typed
parameters), calls one domain function and serialises the answer. Segments, forecasting,
anomalies and orders are imported inside their views: those modules are optional to this one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import url_for

import dashapp.api.schemas as schemas
from dashapp.api.bodies import known_field
from dashapp.api.errors import ApiError, bad_parameter, field_errors
from dashapp.api.routing import Call, Param, Route
from dashapp.api.serialise import iso, record, rows, value
from dashapp.filters import GRANULARITIES
from dashapp.store.models import ALERT_STATUSES
from dashapp.validation import MAX_ID
from dashapp.web.answers import cached

MAX_LIMIT = 100
MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000  # keeps OFFSET far inside 64 bits

# Mirrors of the domain modules' choices, so the document can list them without importing
# those modules; tests/api/test_route_table.py checks them against the modules.
SEGMENTS = (
    "Champions",
    "Loyal",
    "Potential Loyalist",
    "New",
    "Promising",
    "Need Attention",
    "About to Sleep",
    "At Risk",
    "Can't Lose Them",
    "Hibernating",
    "Lost",
)
FORECAST_MODELS = ("auto", "ets", "sarimax", "naive")
FORECAST_MEASURES = ("revenue", "units")
FORECAST_LEVELS = (80, 90, 95)
ALERT_SCOPES = ("total", "category", "product", "country")
PIVOT_DIMENSIONS = (
    "year",
    "quarter",
    "month",
    "category",
    "sub_category",
    "product",
    "customer",
    "country",
    "region",
    "state",
    "city",
    "segment",
    "channel",
    "ship_mode",
    "status",
)
PIVOT_MEASURES = ("revenue", "orders", "units", "customers", "profit", "margin", "discount")
ORDER_SORT_COLUMNS = (
    "number",
    "date",
    "customer",
    "country",
    "status",
    "channel",
    "total",
    "lines",
    "units",
)


_ORDER_ID = Param("order_id", "integer", "Order id.", location="path")
_RULE_ID = Param("rule_id", "integer", "Alert rule id.", location="path")
_VIEW_ID = Param("view_id", "integer", "Saved view id.", location="path")


def _limit(default: int = 10) -> Param:
    return Param(
        "limit", "integer", "How many rows.", minimum=1, maximum=MAX_LIMIT, default=default
    )


_BY = Param("by", "string", "Rank by revenue or units.", ("revenue", "units"), default="revenue")
_PAGE = Param("page", "integer", "Page number, from 1.", minimum=1, maximum=MAX_PAGE, default=1)


def _page_size(default: int) -> Param:
    return Param(
        "page_size", "integer", "Rows per page.", minimum=1, maximum=MAX_PAGE_SIZE, default=default
    )


def shared_answer(view: Callable[[Call], dict]) -> Callable[[Call], dict]:
    """The view's answer from the shared cache, keyed by the view, the caller's filters (a sales
    user's include created_by), the parameters and the data version; computed on a miss."""

    @wraps(view)
    def answer(call: Call) -> dict:
        params = sorted(call.args.items())
        return cached(
            call.engine, f"api.{view.__name__}", call.filters, lambda: view(call), *params
        )

    return answer


@shared_answer
def kpis_view(call: Call) -> dict:
    """KPIs for the (resolved) range, the previous period and the same period last year."""
    from dashapp.analytics.kpis import kpi_summary
    from dashapp.filters import previous_period, same_period_last_year

    with call.engine.connect() as conn:
        summary = kpi_summary(conn, call.filters)
    start, end = summary.start, summary.end
    # No data at all: no range to compare, and every KPI is zero.
    previous = previous_period(start, end) if start and end else (None, None)
    last_year = same_period_last_year(start, end) if start and end else (None, None)
    return {
        "range": _range((start, end)),
        "current": summary.current.as_json(),
        "previous_range": _range(previous),
        "previous": summary.previous.as_json(),
        "last_year_range": _range(last_year),
        "last_year": summary.last_year.as_json(),
    }


def _range(bounds: tuple) -> dict:
    return {"start": iso(bounds[0]), "end": iso(bounds[1])}


@shared_answer
def sales_over_time_view(call: Call) -> dict:
    from dashapp.analytics.breakdowns import sales_over_time

    period = call.args["period"]
    with call.engine.connect() as conn:
        df = sales_over_time(conn, call.filters, period)
    return {"period": period, "rows": rows(df, {"cancelled": "cancelled_orders"})}


@shared_answer
def sales_by_category_view(call: Call) -> dict:
    from dashapp.analytics.breakdowns import sales_by_category

    with call.engine.connect() as conn:
        return {"rows": rows(sales_by_category(conn, call.filters))}


@shared_answer
def sales_by_country_view(call: Call) -> dict:
    from dashapp.analytics.breakdowns import sales_by_country

    with call.engine.connect() as conn:
        return {"rows": rows(sales_by_country(conn, call.filters))}


@shared_answer
def top_customers_view(call: Call) -> dict:
    from dashapp.analytics.breakdowns import top_customers

    return _ranking(call, top_customers)


@shared_answer
def top_products_view(call: Call) -> dict:
    from dashapp.analytics.breakdowns import top_products

    return _ranking(call, top_products)


def _ranking(call: Call, top: Callable[..., Any]) -> dict:
    """The top customers or products by the `by` measure, `limit` of them."""
    by, limit = call.args["by"], call.args["limit"]
    with call.engine.connect() as conn:
        df = top(conn, call.filters, limit=limit, by=by)
    return {"by": by, "limit": limit, "rows": rows(df)}


@shared_answer
def rfm_view(call: Call) -> dict:
    """Segment summary of every scored customer, and one page of the customers' scores."""
    from dashapp.segments import rfm_period_end, rfm_scores, segment_members, segment_summary

    with call.engine.connect() as conn:
        scores = rfm_scores(conn, call.filters)
        end = rfm_period_end(conn, call.filters)
    members = segment_members(scores, call.args["segment"])
    page, size = call.args["page"], call.args["page_size"]
    shown = members.iloc[(page - 1) * size : page * size]
    return {
        "period_end": iso(end) if len(scores) else None,
        "summary": rows(segment_summary(scores)),
        "page": page,
        "page_size": size,
        "total": len(members),
        "customers": rows(shown),
    }


@shared_answer
def forecast_view(call: Call) -> dict:
    from dashapp.analytics.forecasting import InsufficientHistory, daily_series, forecast

    args = call.args
    with call.engine.connect() as conn:
        series = daily_series(conn, call.filters, args["measure"])
    try:
        result = forecast(series, args["horizon"], args["model"], args["level"] / 100)
    except InsufficientHistory as exc:
        raise ApiError(400, str(exc), field="start") from None
    return result.as_json()


def anomalies_view(call: Call) -> dict:
    from dashapp.alerts import list_kpi_alerts
    from dashapp.analytics.anomalies import list_alerts

    args = call.args
    with call.engine.connect() as conn:
        alerts = list_alerts(
            conn, status=args["status"], scope=args["scope"], key=args["key"], limit=args["limit"]
        )
        fired = list_kpi_alerts(conn, call.account, status=args["status"], limit=args["limit"])
    return {"rows": [record(a) for a in alerts], "kpi_alerts": [record(a) for a in fired]}


def _refusals_as_errors(call: Callable[[], Any], missing: str) -> Any:
    """Run a domain call, its refusals as API errors: 400 naming every bad field, 403 for what
    the caller's role or ownership does not allow (the domain's access errors are
    PermissionErrors), 404 saying `missing` for a record that is not there. Nothing is
    changed then."""
    from dashapp.validation import ValidationError

    try:
        return call()
    except PermissionError as exc:
        raise ApiError(403, str(exc)) from None
    except LookupError:
        raise ApiError(404, missing) from None
    except ValidationError as exc:
        raise field_errors([e.as_json() for e in exc.errors]) from None


def _rule_write(write: Callable[[], Any], rule_id: int | None = None) -> Any:
    """Run a rule call (see _refusals_as_errors); 404 for a missing rule."""
    return _refusals_as_errors(write, f"no alert rule with id {rule_id}")


def alert_rules_view(call: Call) -> dict:
    """Every KPI alert rule, oldest first."""
    from dashapp.alerts import list_rules

    with call.engine.connect() as conn:
        found = _rule_write(lambda: list_rules(conn, call.account))
    return {"rows": [r.as_json() for r in found]}


def add_alert_rule_view(call: Call):
    """Add a rule: 201 with it, 400 naming every bad field, 403 for a role that may not."""
    from dashapp.alerts import RuleDraft, add_rule

    body = call.body
    if not isinstance(body, dict):
        raise bad_parameter("body", 'expected {"name": ..., "metric": ..., "threshold": ...}')
    for key, raw in body.items():
        known_field(key, schemas.ALERT_RULE_FIELDS)
        if not isinstance(raw, str | int | float | bool | type(None)):
            raise bad_parameter(key, "expected a single value")
    threshold = body.get("threshold")
    draft = RuleDraft(
        name=body.get("name"),
        metric=body.get("metric"),
        # A JSON number as written (1000.5, not 1000.499..): str() of the float.
        threshold=threshold if isinstance(threshold, str | bool | type(None)) else str(threshold),
        comparison=body.get("comparison", "below"),
        period=body.get("period", "week"),
        filter=body.get("filter", ""),
        enabled=body.get("enabled", True),
    )
    rule = _rule_write(lambda: add_rule(call.engine, draft, call.account))
    return rule.as_json(), 201, {}


def _rule_id(call: Call) -> int:
    rule_id = call.args["rule_id"]
    if not 1 <= rule_id <= MAX_ID:
        raise ApiError(404, f"no alert rule with id {rule_id}")
    return rule_id


def alert_rule_view(call: Call) -> dict:
    """One KPI alert rule."""
    from dashapp.alerts import get_rule
    from dashapp.alerts.rules import check_reader

    rule_id = _rule_id(call)
    with call.engine.connect() as conn:
        rule = _rule_write(lambda: (check_reader(call.account), get_rule(conn, rule_id)), rule_id)
    return rule[1].as_json()


def remove_alert_rule_view(call: Call) -> dict:
    """Remove a rule and the alerts it fired."""
    from dashapp.alerts import remove_rule

    rule_id = _rule_id(call)
    _rule_write(lambda: remove_rule(call.engine, rule_id, call.account), rule_id)
    return {"deleted": rule_id}


def _sort_terms(raw: str | None) -> list[tuple[str, str]] | None:
    """'-date,number' -> [('date', 'desc'), ('number', 'asc')]."""
    if not raw:
        return None
    terms = []
    for part in raw.split(","):
        name = part.strip()
        column = name.lstrip("-")
        if column not in ORDER_SORT_COLUMNS:
            raise bad_parameter(
                "sort", f"cannot sort by {column!r}; use {', '.join(ORDER_SORT_COLUMNS)}"
            )
        terms.append((column, "desc" if name.startswith("-") else "asc"))
    return terms


def orders_view(call: Call) -> dict:
    """One page of the order history under the filters, and how many orders match in all."""
    from dashapp.orders.history import HistoryQueryError, order_history_page

    page, size = call.args["page"], call.args["page_size"]
    sort = _sort_terms(call.args["sort"])
    try:
        with call.engine.connect() as conn:
            found, total = order_history_page(conn, call.filters, page, size, sort)
    except HistoryQueryError as exc:
        raise bad_parameter("sort", str(exc)) from None
    return {"page": page, "page_size": size, "total": total, "rows": [record(r) for r in found]}


def _order_json(order_id: int, snapshot: dict) -> dict:
    """The stored order with money as numbers (the snapshot keeps them as exact strings)."""
    out = record(snapshot)
    out["id"] = order_id
    out["total"] = float(snapshot["total"])
    out["lines"] = [
        {
            **line,
            "unit_price": float(line["unit_price"]),
            "discount_pct": float(line["discount_pct"]),
            "amount": float(line["amount"]),
        }
        for line in out["lines"]
    ]
    return out


def _order_id(call: Call) -> int:
    order_id = call.args["order_id"]
    if not 1 <= order_id <= MAX_ID:
        raise ApiError(404, f"no order with id {order_id}")
    return order_id


def _stored_order(call: Call, order_id: int) -> dict:
    """The order as `call.account` may see it: 404 when there is none, 403 when it is not
    theirs (a sales user's own orders only; dashapp.orders.scope)."""
    from dashapp.orders import OrderAccessError, OrderNotFound, read_order

    try:
        with call.engine.connect() as conn:
            return _order_json(order_id, read_order(conn, order_id, call.account))
    except OrderNotFound:
        raise ApiError(404, f"no order with id {order_id}") from None
    except OrderAccessError as exc:
        raise ApiError(403, str(exc)) from None


def order_view(call: Call) -> dict:
    return _stored_order(call, _order_id(call))


def _is_stock_error(error) -> bool:
    # dashapp.orders words a stock shortage "Only N left of <product>" on the quantity field.
    return error.field == "quantity" and error.message.startswith("Only ")


def _write(call: Call, write: Callable[[], Any]) -> Any:
    """Run an order write, its refusals as API errors: 400 with every field error, 409 for
    stock, 403 for someone else's order, 404 for a missing one. Nothing is changed then."""
    from dashapp.orders import OrderAccessError, OrderNotFound, ValidationError

    try:
        return write()
    except ValidationError as exc:
        errors = [e.as_json() for e in exc.errors]
        stock = all(_is_stock_error(e) for e in exc.errors)
        first = exc.errors[0] if exc.errors else None
        raise ApiError(
            409 if stock and first else 400,
            first.message if first else "the order was refused",
            field=first.field if first else None,
            details=errors,
        ) from None
    except OrderNotFound:
        raise ApiError(404, f"no order with id {call.args.get('order_id')}") from None
    except OrderAccessError as exc:
        raise ApiError(403, str(exc)) from None


def create_order_view(call: Call):
    """Validate and save a new order: 201 with it, 400 with every field error, 409 for stock."""
    from dashapp.api.bodies import order_draft
    from dashapp.orders import create_order

    draft = order_draft(call.body)
    saved = _write(call, lambda: create_order(call.engine, draft, call.account))
    location = url_for(".get_order", order_id=saved.id)
    return _stored_order(call, saved.id), 201, {"Location": location}


def update_order_view(call: Call) -> dict:
    """Replace an order's header and lines (cancel it with status "Cancelled"); stock moves by
    the difference. A sales user may change only the orders they entered."""
    from dashapp.api.bodies import order_draft
    from dashapp.orders import update_order

    order_id = _order_id(call)
    draft = order_draft(call.body)
    _write(call, lambda: update_order(call.engine, order_id, draft, call.account))
    return _stored_order(call, order_id)


def delete_order_view(call: Call) -> dict:
    """Delete an order for good; its units go back into stock unless it was cancelled."""
    from dashapp.orders import delete_order

    order_id = _order_id(call)
    _write(call, lambda: delete_order(call.engine, order_id, call.account))
    return {"deleted": order_id}


@shared_answer
def pivot_view(call: Call) -> dict:
    from dashapp.analytics.pivot import PivotError, pivot

    a = call.args
    if a["columns"] is not None and a["columns"] == a["rows"]:
        raise bad_parameter("columns", "rows and columns are the same dimension")
    try:
        with call.engine.connect() as conn:
            p = pivot(
                conn,
                call.filters,
                a["rows"],
                a["columns"],
                a["measure"],
                max_rows=a["max_rows"],
                max_columns=a["max_columns"],
            )
    except PivotError as exc:  # the parameters' enums keep this out; never a 500
        raise ApiError(400, str(exc)) from None
    return {
        "rows_dimension": p.rows,
        "columns_dimension": p.columns,
        "measure": p.measure,
        "kind": p.kind,
        "columns": p.column_labels,
        "rows": [
            {
                "label": row,
                "values": [value(p.cell(row, c)) for c in p.column_labels],
                "total": value(p.row_totals[row]),
            }
            for row in p.row_labels
        ],
        "totals": {
            "values": [value(p.column_totals[c]) for c in p.column_labels],
            "total": value(p.total),
        },
        "rows_found": p.rows_found,
        "columns_found": p.columns_found,
    }


def targets_view(call: Call) -> dict:
    """The targets the caller may see (a sales user: their own), with their progress to
    `as_of` (default: the last day with orders)."""
    from datetime import date

    from dashapp.analytics.kpis import resolve_range
    from dashapp.filters import Filters
    from dashapp.targets import list_targets, progress

    raw = call.args["as_of"]
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError:
        raise bad_parameter("as_of", f"expected a date as YYYY-MM-DD, got {raw!r}") from None
    with call.engine.connect() as conn:
        found = list_targets(conn, call.account, metric=call.args["metric"])
        day = day or resolve_range(conn, Filters()).end or date.today()
        return {"as_of": iso(day), "rows": [progress(conn, t, day).as_json() for t in found]}


def _target_drafts(body: Any) -> list:
    """TargetDrafts from {"targets": [...]}; 400 naming the field when the shape is wrong."""
    from dashapp.targets import TargetDraft
    from dashapp.targets.records import MAX_ROWS

    if not isinstance(body, dict) or set(body) != {"targets"}:
        raise bad_parameter("body", 'expected {"targets": [{"period": ..., ...}, ...]}')
    items = body["targets"]
    if not isinstance(items, list) or not items:
        raise bad_parameter("targets", "expected a non-empty list of targets")
    if len(items) > MAX_ROWS:
        raise bad_parameter("targets", f"at most {MAX_ROWS} targets at once")
    drafts = []
    for i, item in enumerate(items):
        where = f"targets[{i}]"
        if not isinstance(item, dict):
            raise bad_parameter(where, "expected a JSON object")
        for key, raw in item.items():
            known_field(key, schemas.TARGET_FIELDS, f"{where}.{key}")
            if isinstance(raw, bool) or not isinstance(raw, str | int | float | type(None)):
                raise bad_parameter(f"{where}.{key}", "expected a single value")
            if isinstance(raw, str) and "\x00" in raw:
                raise bad_parameter(f"{where}.{key}", "must not contain a NUL character")
        amount = item.get("amount")
        drafts.append(
            TargetDraft(
                period=item.get("period"),
                metric=item.get("metric"),
                # A JSON number as written (10000.5, not 10000.499..): str() of the float.
                amount=amount if isinstance(amount, str | type(None)) else str(amount),
                scope=item.get("scope") or "business",
                key=item.get("key"),
            )
        )
    return drafts


def set_targets_view(call: Call) -> dict:
    """Set every target of the body (one per period, metric and scope: an existing one gets
    the new amount), or none: 400 with every bad field, 403 for a role that may not."""
    from dashapp.targets import TargetAccessError, set_targets
    from dashapp.validation import ValidationError

    drafts = _target_drafts(call.body)
    names = [f"targets[{i}]" for i in range(len(drafts))]
    try:
        saved = set_targets(call.engine, drafts, call.account, names)
    except TargetAccessError as exc:
        raise ApiError(403, str(exc)) from None
    except ValidationError as exc:
        details = [
            {**e.as_json(), "field": e.field if e.line is None else f"{names[e.line]}.{e.field}"}
            for e in exc.errors
        ]
        raise field_errors(details) from None
    return {"rows": [t.as_json() for t in saved]}


def _view_write(write: Callable[[], Any], view_id: object = None) -> Any:
    """Run a saved-view call (see _refusals_as_errors): 403 for a view the caller sees but may
    not change, 404 for one they cannot see (another's private view answers as a missing one).
    """
    return _refusals_as_errors(write, f"no saved view {view_id}")


def saved_views_view(call: Call) -> dict:
    """The caller's saved views and everyone's shared ones, by name."""
    from dashapp.views import list_views

    with call.engine.connect() as conn:
        found = _view_write(lambda: list_views(conn, call.account))
    return {"rows": [v.as_json() for v in found]}


def save_view_view(call: Call):
    """Save a view: 201 with it, 400 naming every bad field."""
    from dashapp.views import save_view

    body = call.body
    if not isinstance(body, dict):
        raise bad_parameter("body", 'expected {"name": ..., "section": ..., "query": ...}')
    for key, raw in body.items():
        known_field(key, schemas.SAVED_VIEW_FIELDS)
        if key == "shared" and not isinstance(raw, bool):
            raise bad_parameter(key, "expected true or false")
        if key != "shared" and not isinstance(raw, str):
            raise bad_parameter(key, "expected text")
    view = _view_write(
        lambda: save_view(
            call.engine,
            call.account,
            body.get("name"),
            body.get("section", "overview"),
            body.get("query", ""),
            shared=body.get("shared", False),
        )
    )
    return view.as_json(), 201, {}


def saved_view_view(call: Call) -> dict:
    """One saved view the caller sees."""
    from dashapp.views import get_view

    view_id = call.args["view_id"]
    with call.engine.connect() as conn:
        return _view_write(lambda: get_view(conn, call.account, view_id), view_id).as_json()


def delete_saved_view_view(call: Call) -> dict:
    """Delete the caller's own view, or a shared one as an admin."""
    from dashapp.views import delete_view

    view_id = call.args["view_id"]
    view = _view_write(lambda: delete_view(call.engine, call.account, view_id), view_id)
    return {"deleted": view.id}


def openapi_view(call: Call) -> dict:
    from dashapp.api.openapi import openapi_document

    return openapi_document(ROUTES)


ROUTES: tuple[Route, ...] = (
    Route(
        "GET",
        "/kpis",
        "kpis",
        "KPIs with the previous period and the same period last year",
        kpis_view,
        filters=True,
        response_schema=schemas.KPI_SUMMARY,
    ),
    Route(
        "GET",
        "/sales-over-time",
        "sales_over_time",
        "Revenue, orders, units and customers per day, week, month, quarter or year",
        sales_over_time_view,
        filters=True,
        params=(Param("period", "string", "Bucket size.", GRANULARITIES, default="month"),),
        response_schema=schemas.SALES_OVER_TIME,
    ),
    Route(
        "GET",
        "/sales-by-category",
        "sales_by_category",
        "Revenue, units and orders per product line, largest first",
        sales_by_category_view,
        filters=True,
        response_schema=schemas.BY_CATEGORY,
    ),
    Route(
        "GET",
        "/sales-by-country",
        "sales_by_country",
        "Revenue, orders and customers per country, largest first",
        sales_by_country_view,
        filters=True,
        response_schema=schemas.BY_COUNTRY,
    ),
    Route(
        "GET",
        "/top-customers",
        "top_customers",
        "The best customers by revenue or units",
        top_customers_view,
        filters=True,
        params=(_limit(), _BY),
        response_schema=schemas.TOP_CUSTOMERS,
    ),
    Route(
        "GET",
        "/top-products",
        "top_products",
        "The best products by revenue or units",
        top_products_view,
        filters=True,
        params=(_limit(), _BY),
        response_schema=schemas.TOP_PRODUCTS,
    ),
    Route(
        "GET",
        "/rfm",
        "rfm",
        "RFM scores per customer (paged, optionally one segment) and the segment summary",
        rfm_view,
        filters=True,
        params=(
            Param("segment", "string", "Only this segment's customers.", SEGMENTS),
            _PAGE,
            _page_size(100),
        ),
        response_schema=schemas.RFM,
    ),
    Route(
        "GET",
        "/forecast",
        "forecast",
        "Daily revenue or units forecast with its prediction interval and backtest",
        forecast_view,
        filters=True,
        params=(
            Param("horizon", "integer", "Days ahead.", minimum=7, maximum=365, default=30),
            Param("model", "string", "auto: the best backtest.", FORECAST_MODELS, default="auto"),
            Param("level", "integer", "Interval, in %.", FORECAST_LEVELS, default=80),
            Param("measure", "string", "What to forecast.", FORECAST_MEASURES, default="revenue"),
        ),
        response_schema=schemas.FORECAST,
    ),
    Route(
        "GET",
        "/anomalies",
        "anomalies",
        "Stored revenue-drop alerts, newest day first, and the alerts the KPI alert rules fired "
        "(order filters do not apply)",
        anomalies_view,
        # Whole-business figures: not for a sales user's own view (SPEC §6).
        permission="view:all",
        params=(
            Param("status", "string", "Alert status.", ALERT_STATUSES),
            Param("scope", "string", "What the alert watches.", ALERT_SCOPES),
            Param("key", "string", "The category, product or country watched."),
            _limit(50),
        ),
        response_schema=schemas.ALERTS,
    ),
    Route(
        "GET",
        "/alert-rules",
        "list_alert_rules",
        "KPI alert rules: a metric under a filter over a period, below or above a threshold or "
        "behind target (whole-business figures: not for a sales user)",
        alert_rules_view,
        permission="view:all",
        response_schema=schemas.ALERT_RULES,
    ),
    Route(
        "POST",
        "/alert-rules",
        "add_alert_rule",
        "Add a KPI alert rule; admins and managers only. It is judged with every anomaly check",
        add_alert_rule_view,
        permission="alerts:write",
        body_schema=schemas.ALERT_RULE_DRAFT,
        response_schema=schemas.ALERT_RULE,
        success=201,
        errors=(415,),
    ),
    Route(
        "GET",
        "/alert-rules/{rule_id}",
        "get_alert_rule",
        "One KPI alert rule",
        alert_rule_view,
        permission="view:all",
        params=(_RULE_ID,),
        response_schema=schemas.ALERT_RULE,
        errors=(404,),
    ),
    Route(
        "DELETE",
        "/alert-rules/{rule_id}",
        "remove_alert_rule",
        "Remove a KPI alert rule and the alerts it fired; admins and managers only",
        remove_alert_rule_view,
        permission="alerts:write",
        params=(_RULE_ID,),
        response_schema=schemas.DELETED,
        errors=(404,),
    ),
    Route(
        "GET",
        "/orders",
        "list_orders",
        "One page of the order history under the filters, with the total count",
        orders_view,
        filters=True,
        params=(
            _PAGE,
            _page_size(50),
            Param(
                "sort",
                "string",
                "Comma-separated columns, '-' for descending, e.g. -date,number. Columns: "
                + ", ".join(ORDER_SORT_COLUMNS),
            ),
        ),
        response_schema=schemas.ORDER_PAGE,
    ),
    Route(
        "POST",
        "/orders",
        "create_order",
        "Create an order with the grid's validation; stock moves in the same transaction",
        create_order_view,
        permission="orders:write",
        body_schema=schemas.ORDER_DRAFT,
        response_schema=schemas.ORDER,
        success=201,
        errors=(409, 415),
    ),
    Route(
        "GET",
        "/orders/{order_id}",
        "get_order",
        "One order with its lines (a sales user: only the orders they entered)",
        order_view,
        params=(_ORDER_ID,),
        response_schema=schemas.ORDER,
        errors=(404,),
    ),
    Route(
        "PUT",
        "/orders/{order_id}",
        "update_order",
        "Replace an order's header and lines with the grid's validation (status Cancelled "
        "cancels it); stock moves by the difference in the same transaction",
        update_order_view,
        permission="orders:write",
        params=(_ORDER_ID,),
        body_schema=schemas.ORDER_DRAFT,
        response_schema=schemas.ORDER,
        errors=(404, 409, 415),
    ),
    Route(
        "DELETE",
        "/orders/{order_id}",
        "delete_order",
        "Delete an order; its units go back into stock unless it was cancelled",
        delete_order_view,
        permission="orders:write",
        params=(_ORDER_ID,),
        response_schema=schemas.DELETED,
        errors=(404,),
    ),
    Route(
        "GET",
        "/pivot",
        "pivot",
        "One measure by a row dimension and an optional column dimension (time periods "
        "included), with row, column and grand totals; rows and columns largest first (time "
        "in order), capped, with the counts before the cap",
        pivot_view,
        filters=True,
        params=(
            Param("rows", "string", "Row dimension.", PIVOT_DIMENSIONS, default="category"),
            Param(
                "columns", "string", "Column dimension (none: one Total column).", PIVOT_DIMENSIONS
            ),
            Param("measure", "string", "What each cell shows.", PIVOT_MEASURES, default="revenue"),
            Param("max_rows", "integer", "Rows shown.", minimum=1, maximum=500, default=50),
            Param("max_columns", "integer", "Columns shown.", minimum=1, maximum=60, default=24),
        ),
        response_schema=schemas.PIVOT,
    ),
    Route(
        "GET",
        "/targets",
        "list_targets",
        "Targets with their progress to a day and the projection to each period's end (a "
        "sales user: only their own)",
        targets_view,
        params=(
            Param("as_of", "date", "Progress on this day (default: the last day with orders)."),
            Param("metric", "string", "Only this metric's targets.", schemas.TARGET_METRICS),
        ),
        response_schema=schemas.TARGETS,
    ),
    Route(
        "PUT",
        "/targets",
        "set_targets",
        "Set targets, all or none: one per period, metric and scope (an existing one gets the "
        "new amount); admins and managers only",
        set_targets_view,
        permission="targets:write",
        body_schema=schemas.TARGETS_BODY,
        response_schema=schemas.TARGETS_SET,
        errors=(415,),
    ),
    Route(
        "GET",
        "/views",
        "list_saved_views",
        "The caller's saved views and everyone's shared ones (a section with its filters and "
        "settings)",
        saved_views_view,
        response_schema=schemas.SAVED_VIEWS,
    ),
    Route(
        "POST",
        "/views",
        "save_view",
        "Save a view under a name unique to its owner, private or shared with everyone",
        save_view_view,
        body_schema=schemas.SAVED_VIEW_DRAFT,
        response_schema=schemas.SAVED_VIEW,
        success=201,
        errors=(415,),
    ),
    Route(
        "GET",
        "/views/{view_id}",
        "get_saved_view",
        "One saved view: the caller's own or a shared one",
        saved_view_view,
        params=(_VIEW_ID,),
        response_schema=schemas.SAVED_VIEW,
        errors=(404,),
    ),
    Route(
        "DELETE",
        "/views/{view_id}",
        "delete_saved_view",
        "Delete one's own view, or a shared one as an admin; refused while a digest schedule "
        "uses it",
        delete_saved_view_view,
        params=(_VIEW_ID,),
        response_schema=schemas.DELETED,
        errors=(404,),
    ),
    Route(
        "GET",
        "/openapi.json",
        "openapi",
        "This document",
        openapi_view,
        permission=None,
        response_schema={"type": "object"},
    ),
)
