"""Bad query parameters are a 400 that names the parameter and says why."""

import pytest

from tests.api.conftest import error_of


@pytest.mark.parametrize(
    "url, field, reason",
    [
        ("/api/kpis?start=2024-13-01", "start", "YYYY-MM-DD"),
        ("/api/kpis?start=yesterday", "start", "YYYY-MM-DD"),
        ("/api/kpis?end=0001-01-01", "end", "between 1900-01-01 and 2999-12-31"),
        ("/api/kpis?start=2024-02-01&end=2024-01-01", "end", "before start"),
        ("/api/kpis?customer=Acme", "customer", "customer id"),
        ("/api/kpis?status=Lost", "status", "unknown status"),
        ("/api/kpis?limit=5", "limit", "unknown parameter"),
        ("/api/kpis?strat=2024-01-01", "strat", "this route takes category, channel"),
        ("/api/top-products?limit=0", "limit", "at least 1"),
        ("/api/top-products?limit=101", "limit", "at most 100"),
        ("/api/top-products?limit=ten", "limit", "whole number"),
        ("/api/top-products?limit=1.5", "limit", "whole number"),
        ("/api/top-products?limit=", "limit", "whole number"),
        ("/api/top-products?limit=%C2%B2", "limit", "whole number"),  # a superscript 2
        ("/api/top-products?limit=3&limit=4", "limit", "once"),
        ("/api/top-customers?by=profit", "by", "revenue, units"),
        ("/api/sales-over-time?period=fortnight", "period", "day, week, month, quarter, year"),
        ("/api/sales-by-country?period=month", "period", "unknown parameter"),
        ("/api/openapi.json?format=yaml", "format", "no parameters"),
        ("/api/sales-by-country?country=Fr%00ance", "country", "NUL"),
        ("/api/top-products?by=units%00", "by", "NUL"),
    ],
)
def test_bad_parameters_name_the_field(api, url, field, reason):
    r = api.get(url)
    assert r.status_code == 400
    error = error_of(r)
    assert error["field"] == field
    assert reason in error["reason"]


def test_limits_at_the_bounds_are_accepted(api):
    assert api.get("/api/top-products?limit=1").status_code == 200
    assert api.get("/api/top-products?limit=100").status_code == 200


def test_empty_filter_values_mean_all(api):
    body = api.get("/api/kpis?start=&country=&category=").get_json()
    assert body["current"]["orders"] == 5
