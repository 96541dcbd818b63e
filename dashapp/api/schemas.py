"""JSON Schemas (OpenAPI 3.0 dialect) of the API's answers and request bodies."""

from __future__ import annotations

from typing import Any

from dashapp.store.models import ALERT_STATUSES, ORDER_STATUSES

MONEY = {"type": "number", "description": "Currency units, exact to the cent."}
COUNT = {"type": "integer", "minimum": 0}
# Net of returns (lines with negative units): a period or product can be below zero.
UNITS = {"type": "integer", "description": "Units sold net of returned units."}
DATE = {"type": "string", "format": "date"}
DATE_OR_NULL = {**DATE, "nullable": True}
TEXT_OR_NULL = {"type": "string", "nullable": True}
# The store keeps naive local times, so no UTC offset: not RFC 3339's "date-time".
LOCAL_TIME = {"type": "string", "description": "Local time, ISO 8601: 2024-01-10T14:30:00."}


def obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """An object schema; every listed property is required unless `required` says otherwise."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


def rows_of(row: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An answer {"rows": [row, ...], **extra}."""
    return obj({**extra, "rows": {"type": "array", "items": row}})


ERROR = obj(
    {
        "error": obj(
            {
                "status": {"type": "integer"},
                "reason": {"type": "string"},
                "field": {"type": "string"},
                "errors": {"type": "array", "items": {"type": "object"}},
            },
            required=["status", "reason"],
        )
    }
)

KPIS = obj(
    {
        "revenue": MONEY,
        "orders": COUNT,
        "aov": MONEY,
        "customers": COUNT,
        "new_customers": COUNT,
        "returning_customers": COUNT,
        "units": UNITS,
        "cancellation_rate": {"type": "number", "minimum": 0, "maximum": 1},
        "units_per_order": {"type": "number"},
        # SPEC §3 (issue 19 item 1): revenue is net revenue; the money behind it.
        "net_revenue": {**MONEY, "description": "Revenue net of returns (the headline)."},
        "gross_sales": {**MONEY, "description": "Sales before returns: net revenue + returns."},
        "returns": {**MONEY, "description": "What the returned lines took off, >= 0."},
        "returned_units": COUNT,
        "discounts": {
            **MONEY,
            "description": "List value (quantity x unit price) minus amount, of the lines with "
            "a discount.",
        },
        "cost": {**MONEY, "nullable": True, "description": "Of the lines whose cost is known."},
        "profit": {
            **MONEY,
            "nullable": True,
            "description": "Revenue minus cost of the lines whose cost is known; null (n/a) "
            "when no line has a cost (profit_note says why).",
        },
        "margin": {
            "type": "number",
            "nullable": True,
            "description": "Profit / revenue of the lines whose cost is known, a fraction; "
            "null when n/a.",
        },
        "cost_coverage": {
            "type": "number",
            "minimum": 0,
            "description": "Share of gross sales whose cost is known (0.87: cost known for "
            "87 % of sales).",
        },
        "profit_note": {**TEXT_OR_NULL, "description": "Why profit and margin are n/a."},
    }
)
RANGE = obj({"start": DATE_OR_NULL, "end": DATE_OR_NULL})
KPI_SUMMARY = obj(
    {
        "range": RANGE,
        "current": KPIS,
        "previous_range": RANGE,
        "previous": KPIS,
        "last_year_range": RANGE,
        "last_year": KPIS,
    }
)

SALES_OVER_TIME = rows_of(
    obj(
        {
            "period": DATE,
            "revenue": MONEY,
            "orders": COUNT,
            "units": UNITS,
            "customers": COUNT,
            "all_orders": COUNT,
            "cancelled_orders": COUNT,
        }
    ),
    period={"type": "string"},
)
BY_CATEGORY = rows_of(
    obj({"category": {"type": "string"}, "revenue": MONEY, "units": UNITS, "orders": COUNT})
)
BY_COUNTRY = rows_of(
    obj({"country": {"type": "string"}, "revenue": MONEY, "orders": COUNT, "customers": COUNT})
)
_RANKED = {"by": {"type": "string"}, "limit": {"type": "integer"}}
TOP_CUSTOMERS = rows_of(
    obj(
        {
            "customer_id": {"type": "integer"},
            "name": {"type": "string"},
            "country": TEXT_OR_NULL,
            "revenue": MONEY,
            "units": UNITS,
            "orders": COUNT,
        }
    ),
    **_RANKED,
)
TOP_PRODUCTS = rows_of(
    obj(
        {
            "sku": {"type": "string"},
            "name": {"type": "string"},
            "category": {"type": "string"},
            "revenue": MONEY,
            "units": UNITS,
            "orders": COUNT,
        }
    ),
    **_RANKED,
)

_PAGE = {"page": {"type": "integer"}, "page_size": {"type": "integer"}, "total": COUNT}
RFM = obj(
    {
        "period_end": DATE_OR_NULL,
        "summary": {
            "type": "array",
            "items": obj(
                {
                    "segment": {"type": "string"},
                    "customers": COUNT,
                    "share": {"type": "number"},
                    "revenue": MONEY,
                    "orders": COUNT,
                    "aov": MONEY,
                    "priority": {"type": "string"},
                    "action": {"type": "string"},
                }
            ),
        },
        **_PAGE,
        "customers": {
            "type": "array",
            "items": obj(
                {
                    "customer_id": {"type": "integer"},
                    "name": {"type": "string"},
                    "country": TEXT_OR_NULL,
                    "email": TEXT_OR_NULL,
                    "last_order_date": DATE,
                    "recency_days": COUNT,
                    "frequency": COUNT,
                    "monetary": MONEY,
                    "r": {"type": "integer", "minimum": 1, "maximum": 5},
                    "f": {"type": "integer", "minimum": 1, "maximum": 5},
                    "m": {"type": "integer", "minimum": 1, "maximum": 5},
                    "segment": {"type": "string"},
                }
            ),
        },
    }
)

_NUMBER = {"type": "number"}
# Revenue in currency units (2 decimals) or units, as the measure says.
_POINT = obj({"date": DATE, "mean": _NUMBER, "lower": _NUMBER, "upper": _NUMBER})
FORECAST = obj(
    {
        "measure": {"type": "string"},
        "model": {"type": "string"},
        "level": {"type": "number"},
        "horizon": {"type": "integer"},
        "history_start": DATE,
        "history_end": DATE,
        "notes": {"type": "array", "items": {"type": "string"}},
        "backtest": {"type": "object", "nullable": True},
        "candidates": {"type": "array", "items": {"type": "object"}},
        "forecast": {"type": "array", "items": _POINT},
    }
)

# KPI alert rules (issue 20, item 2). Mirrors of dashapp.alerts' choices; tests/alerts check them.
ALERT_RULE_METRICS = (
    "revenue",
    "orders",
    "units",
    "customers",
    "new_customers",
    "aov",
    "cancellation_rate",
    "profit",
    "margin",
    "discounts",
    "returns",
    "gross_sales",
)
ALERT_RULE_PERIODS = ("day", "week", "month", "week_to_date", "month_to_date")
ALERT_RULE_COMPARISONS = ("below", "above", "behind_target")
ALERT_RULE_UNITS = ("money", "count", "percent")
_RULE_AMOUNT = {
    "type": "number",
    "description": "In the unit: currency units (exact to the cent), a count, or a percentage "
    "(5.25 is 5.25 %; behind_target's threshold is always a percentage).",
}
_RULE_AMOUNT_OR_NULL = {**_RULE_AMOUNT, "nullable": True}
ALERT_RULE = obj(
    {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "metric": {"type": "string", "enum": list(ALERT_RULE_METRICS)},
        "filter": {"type": "string", "description": "category=Planes&country=France"},
        "period": {"type": "string", "enum": list(ALERT_RULE_PERIODS)},
        "comparison": {"type": "string", "enum": list(ALERT_RULE_COMPARISONS)},
        "threshold": _RULE_AMOUNT,
        "unit": {"type": "string", "enum": list(ALERT_RULE_UNITS)},
        "enabled": {"type": "boolean"},
        "created_by": TEXT_OR_NULL,
        "checked_through": {
            **DATE_OR_NULL,
            "description": "The first day of the last complete period judged",
        },
        "description": {"type": "string"},
    }
)
ALERT_RULES = rows_of(ALERT_RULE)
ALERT_RULE_DRAFT = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 80},
        "metric": {"type": "string", "enum": list(ALERT_RULE_METRICS)},
        "threshold": {
            "oneOf": [{"type": "number"}, {"type": "string"}],
            "description": '1000.00 or "1,000.00" for money, a count, or 5 for 5 %',
        },
        "comparison": {"type": "string", "enum": list(ALERT_RULE_COMPARISONS), "default": "below"},
        "period": {"type": "string", "enum": list(ALERT_RULE_PERIODS), "default": "week"},
        "filter": {
            "type": "string",
            "default": "",
            "description": "A query string of the page's filters, without start and end",
        },
        "enabled": {"type": "boolean", "default": True},
    },
    "required": ["name", "metric", "threshold"],
    "additionalProperties": False,
}
ALERT_RULE_FIELDS = frozenset(ALERT_RULE_DRAFT["properties"])
KPI_ALERT = obj(
    {
        "id": {"type": "integer"},
        "rule_id": {"type": "integer"},
        "rule": {"type": "string"},
        "metric": {"type": "string", "enum": list(ALERT_RULE_METRICS)},
        "filter": {"type": "string"},
        "period": {"type": "string", "enum": list(ALERT_RULE_PERIODS)},
        "period_start": DATE,
        "period_end": DATE,
        "value": {**_RULE_AMOUNT_OR_NULL, "description": "null: n/a; a target rule's run-rate"},
        "target": {**_RULE_AMOUNT_OR_NULL, "description": "The target of a behind_target rule"},
        "threshold": _RULE_AMOUNT,
        "unit": {"type": "string", "enum": list(ALERT_RULE_UNITS)},
        "figure": {"type": "string"},
        "condition": {"type": "string"},
        "status": {"type": "string", "enum": list(ALERT_STATUSES)},
        "note": TEXT_OR_NULL,
        "created_at": {**LOCAL_TIME, "nullable": True},
        "text": {"type": "string"},
    }
)
ALERTS = rows_of(
    obj(
        {
            "id": {"type": "integer"},
            "scope": {"type": "string"},
            "key": {"type": "string"},
            "day": DATE,
            "baseline": MONEY,
            "actual": MONEY,
            "drop_pct": {"type": "number"},
            "score": {"type": "number"},
            "status": {"type": "string", "enum": list(ALERT_STATUSES)},
            "drivers": {"type": "array", "items": {"type": "object"}},
        },
    ),
    kpi_alerts={
        "type": "array",
        "items": KPI_ALERT,
        "description": "What the KPI alert rules fired (the status filter and limit apply)",
    },
)

ORDER_ROW = obj(
    {
        "id": {"type": "integer"},
        "number": {"type": "string"},
        "date": LOCAL_TIME,
        # null: an order imported without customers (--no-customers)
        "customer_id": {"type": "integer", "nullable": True},
        "customer": TEXT_OR_NULL,
        "country": TEXT_OR_NULL,
        "status": {"type": "string", "enum": list(ORDER_STATUSES)},
        "channel": TEXT_OR_NULL,
        "total": MONEY,
        "lines": COUNT,
        "units": UNITS,
    }
)
ORDER_PAGE = obj({**_PAGE, "rows": {"type": "array", "items": ORDER_ROW}})

ORDER = obj(
    {
        "id": {"type": "integer"},
        "order_number": {"type": "string"},
        "customer_id": {"type": "integer", "nullable": True},
        "ordered_at": LOCAL_TIME,
        "status": {"type": "string", "enum": list(ORDER_STATUSES)},
        "country": TEXT_OR_NULL,
        "channel": TEXT_OR_NULL,
        "payment_type": TEXT_OR_NULL,
        "promo": {"type": "boolean"},
        "note": TEXT_OR_NULL,
        "total": MONEY,
        "lines": {
            "type": "array",
            "items": obj(
                {
                    "product_id": {"type": "integer"},
                    # Below zero on a return (an imported credit note); entry takes >= 1.
                    "quantity": {"type": "integer"},
                    "unit_price": MONEY,
                    "discount_pct": {"type": "number", "minimum": 0, "maximum": 100},
                    "amount": MONEY,
                }
            ),
        },
    }
)

DELETED = obj({"deleted": {"type": "integer"}}, ["deleted"])

_LINE_DRAFT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["product", "quantity"],
    "properties": {
        "product": {
            "oneOf": [{"type": "integer"}, {"type": "string"}],
            "description": "Product id, or its SKU.",
        },
        "quantity": {"type": "integer", "minimum": 1},
        "unit_price": {
            "type": "number",
            "minimum": 0,
            "nullable": True,
            "description": "Currency units; the catalog price when absent.",
        },
        "discount_pct": {"type": "number", "minimum": 0, "maximum": 100},
    },
}
ORDER_DRAFT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["customer_id", "lines"],
    "properties": {
        "customer_id": {"type": "integer"},
        "lines": {"type": "array", "minItems": 1, "items": _LINE_DRAFT},
        "ordered_at": {
            "type": "string",
            "description": "YYYY-MM-DD or YYYY-MM-DD HH:MM; now when absent.",
        },
        "status": {"type": "string", "enum": list(ORDER_STATUSES)},
        "channel": TEXT_OR_NULL,
        "payment_type": TEXT_OR_NULL,
        "promo": {"type": "boolean"},
        "note": TEXT_OR_NULL,
    },
}
# The scalar fields a draft may carry, for the API's own shape check before the domain's.
ORDER_FIELDS = frozenset(ORDER_DRAFT["properties"])
LINE_FIELDS = frozenset(_LINE_DRAFT["properties"])

_CELL = {"type": "number", "nullable": True, "description": "null: no lines, or n/a"}
PIVOT = obj(
    {
        "rows_dimension": {"type": "string"},
        "columns_dimension": TEXT_OR_NULL,
        "measure": {"type": "string"},
        "kind": {
            "type": "string",
            "enum": ["money", "count", "percent"],
            "description": "money in currency units, count, or percent (margin)",
        },
        "columns": {"type": "array", "items": {"type": "string"}},
        "rows": {
            "type": "array",
            "items": obj(
                {
                    "label": {"type": "string"},
                    "values": {"type": "array", "items": _CELL},
                    "total": _CELL,
                }
            ),
        },
        "totals": obj({"values": {"type": "array", "items": _CELL}, "total": _CELL}),
        "rows_found": COUNT,
        "columns_found": COUNT,
    }
)

# Targets (issue 20, item 1). Mirrors of the store's choices; tests/targets check them.
TARGET_PERIODS = ("month", "quarter")
TARGET_METRICS = ("revenue", "orders", "profit")
TARGET_SCOPES = ("business", "category", "region", "user")
_TARGET_AMOUNT = {
    "type": "number",
    "description": "Currency units for revenue and profit (exact to the cent), a count of "
    "orders for orders.",
}
TARGET = obj(
    {
        "id": {"type": "integer"},
        "period": {"type": "string", "description": "2024-03 (a month) or 2024-Q1 (a quarter)"},
        "metric": {"type": "string", "enum": list(TARGET_METRICS)},
        "scope": {"type": "string", "enum": list(TARGET_SCOPES)},
        "key": {
            **TEXT_OR_NULL,
            "description": "The category, region or username; null for the business.",
        },
        "amount": _TARGET_AMOUNT,
        "period_start": DATE,
        "period_end": DATE,
        "updated_by": TEXT_OR_NULL,
        "updated_at": {**LOCAL_TIME, "nullable": True},
    }
)
_AMOUNT_OR_NULL = {**_TARGET_AMOUNT, "nullable": True}
TARGET_PROGRESS = obj(
    {
        "target": TARGET,
        "as_of": DATE,
        "days_elapsed": COUNT,
        "days_in_period": COUNT,
        "actual": {**_AMOUNT_OR_NULL, "description": "null: profit with no cost known"},
        "share": {"type": "number", "nullable": True, "description": "actual / target"},
        "run_rate": {**_AMOUNT_OR_NULL, "description": "actual / days elapsed x days"},
        "projection": {
            **obj(
                {
                    "value": _TARGET_AMOUNT,
                    "low": _AMOUNT_OR_NULL,
                    "high": _AMOUNT_OR_NULL,
                    "method": {"type": "string", "enum": ["forecast", "run-rate"]},
                    "model": TEXT_OR_NULL,
                    "level": {"type": "number", "nullable": True},
                    "note": {"type": "string"},
                }
            ),
            "nullable": True,
            "description": "To the period's end; null once it is over or before it starts",
        },
        "status": {
            "type": "string",
            "enum": ["on track", "at risk", "met", "missed", "not started", "n/a"],
        },
    }
)
TARGETS = obj({"as_of": DATE_OR_NULL, "rows": {"type": "array", "items": TARGET_PROGRESS}})
TARGET_DRAFT = {
    "type": "object",
    "properties": {
        "period": {"type": "string", "description": "2024-03, 2024-Q1 or Q1 2024"},
        "metric": {"type": "string", "enum": list(TARGET_METRICS)},
        "scope": {"type": "string", "enum": list(TARGET_SCOPES), "default": "business"},
        "key": {**TEXT_OR_NULL, "description": "The category, region or username"},
        "amount": {
            "oneOf": [{"type": "number"}, {"type": "string"}],
            "description": '10000.00 or "10,000.00" for money; a whole number of orders',
        },
    },
    "required": ["period", "metric", "amount"],
    "additionalProperties": False,
}
TARGET_FIELDS = frozenset(TARGET_DRAFT["properties"])
TARGETS_BODY = {
    "type": "object",
    "properties": {
        "targets": {"type": "array", "items": TARGET_DRAFT, "minItems": 1, "maxItems": 5000}
    },
    "required": ["targets"],
    "additionalProperties": False,
}
TARGETS_SET = obj({"rows": {"type": "array", "items": TARGET}})

SAVED_VIEW = obj(
    {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "section": {"type": "string", "description": "overview, insight, pivot, orders..."},
        "query": {"type": "string", "description": "country=France&range=ytd&granularity=week"},
        "shared": {"type": "boolean"},
        "owner": {"type": "string"},
    }
)
SAVED_VIEWS = rows_of(SAVED_VIEW)
SAVED_VIEW_DRAFT = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 80},
        "section": {"type": "string", "default": "overview"},
        "query": {
            "type": "string",
            "default": "",
            "description": "The page's query string: its filters and settings",
        },
        "shared": {"type": "boolean", "default": False},
    },
    "required": ["name"],
    "additionalProperties": False,
}
SAVED_VIEW_FIELDS = frozenset(SAVED_VIEW_DRAFT["properties"])
