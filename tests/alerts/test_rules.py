"""Alert rules as typed: bad rules refused with a message per field (nothing written),
markup kept as text, and the role checked in the domain before anything else."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dashapp.alerts import RuleAccessError, RuleDraft, add_rule, list_rules, remove_rule
from dashapp.alerts.rules import validate
from dashapp.store.models import AlertRule, AuditLog
from dashapp.validation import ValidationError
from tests.alerts.shop import ADMIN, MANAGER, SALES, VIEWER

GOOD = dict(name="Planes", metric="revenue", threshold="1,000.00")


def _refusal(**changes) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        validate(RuleDraft(**{**GOOD, **changes}))
    return {e.field: e.message for e in caught.value.errors}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"metric": "revnue"},
            "metric",
            "Unknown metric 'revnue' (did you mean 'revenue'?): one of revenue, orders, units, "
            "customers, new_customers, aov, cancellation_rate, profit, margin, discounts, "
            "returns, gross_sales",
        ),
        ({"threshold": "lots"}, "threshold", "Threshold must be a number, e.g. 12.50"),
        ({"threshold": "-5"}, "threshold", "Threshold must be 0 or more"),
        ({"threshold": "1.005"}, "threshold", "Threshold can have at most 2 decimal places"),
        ({"threshold": ""}, "threshold", "Threshold is required"),
        (
            {"metric": "cancellation_rate", "threshold": "120"},
            "threshold",
            "Threshold must be between 0 and 100 %",
        ),
        (
            {"metric": "orders", "threshold": "2.5"},
            "threshold",
            "Threshold must be a whole number",
        ),
        (
            {"filter": "category"},
            "filter",
            "Filter 'category' is not a query string: write name=value pairs joined by &, "
            "e.g. category=Planes&country=France",
        ),
        (
            {"filter": "colour=red"},
            "filter",
            # The list goes on with every dimension dashapp.filters knows.
            "Filter: unknown name 'colour'; use category, product, country, customer, ...",
        ),
        (
            {"filter": "start=2024-01-01&category=Planes"},
            "filter",
            "Filter: leave start out, the rule's period sets the dates",
        ),
        (
            {"filter": "customer=abc"},
            "filter",
            "Filter: customer: expected a customer id, got 'abc'",
        ),
        ({"period": "fortnight"}, "period", None),
        ({"comparison": "equals"}, "comparison", None),
        ({"name": "  "}, "name", "Name is required"),
        ({"name": "x" * 81}, "name", "Name is too long: 81 characters, at most 80"),
        (
            {"comparison": "behind_target", "threshold": "10", "filter": "country=France"},
            "filter",
            "A target is for the business or one category: the filter 'country=France' "
            "matches no target's orders",
        ),
        (
            {"comparison": "behind_target", "threshold": "10", "period": "week"},
            "period",
            "Targets are monthly: compare with a target over a month or the month to date",
        ),
        (
            {"comparison": "behind_target", "threshold": "10", "metric": "units"},
            "metric",
            "Targets are set for revenue, orders, profit: units has none to be behind",
        ),
    ],
)
def test_a_bad_rule_is_refused_with_a_message_naming_the_field(changes, field, message):
    errors = _refusal(**changes)
    assert field in errors
    if message is not None and message.endswith("..."):
        assert errors[field].startswith(message.removesuffix("..."))
    elif message is not None:
        assert errors[field] == message
    else:
        assert errors[field].startswith(f"Unknown {field} ")


def test_a_good_rule_is_made_canonical():
    values = validate(
        RuleDraft(
            name="  <b>Planes</b> =1+1 ",
            metric=" Cancellation rate ",
            threshold="5.5 %",
            comparison="ABOVE",
            period="Month to date",
            filter="?country=France&category=Planes&country=France",
        )
    )
    assert values == {
        "name": "<b>Planes</b> =1+1",  # verbatim: shown as text everywhere
        "metric": "cancellation_rate",
        "filter_query": "category=Planes&country=France",
        "period": "month_to_date",
        "comparison": "above",
        "threshold": 550,  # basis points: 5.5 % = 550
        "enabled": True,
    }


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        rules = conn.scalar(select(func.count()).select_from(AlertRule.__table__))
        audit = conn.scalar(select(func.count()).select_from(AuditLog.__table__))
    return rules, audit


def test_the_domain_refuses_sales_and_viewers_whatever_they_send(engine):
    rule = add_rule(engine, RuleDraft(**GOOD), MANAGER)
    before = _counts(engine)
    for account in (SALES, VIEWER, None):
        with pytest.raises(RuleAccessError, match="Nothing was changed"):
            add_rule(engine, RuleDraft(**GOOD), account)
        with pytest.raises(RuleAccessError):
            remove_rule(engine, rule.id, account)
    refused = r"Your role \(sales\) sees only its own orders"
    with pytest.raises(RuleAccessError, match=refused), engine.connect() as conn:
        list_rules(conn, SALES)
    assert _counts(engine) == before
    with engine.connect() as conn:
        assert [r.name for r in list_rules(conn, VIEWER)] == ["Planes"]
    # A refused bad rule changes nothing either.
    with pytest.raises(ValidationError):
        add_rule(engine, RuleDraft(**{**GOOD, "metric": "nope"}), ADMIN)
    assert _counts(engine) == before
    remove_rule(engine, rule.id, ADMIN)
    assert _counts(engine) == (0, before[1] + 1)
