"""The OpenAPI document describes exactly the blueprint's routes and parameters."""

import re

import pytest

from dashapp.api import ROUTES
from dashapp.api.routing import FILTER_PARAMS
from tests.api.conftest import make_app

AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture(scope="module")
def document(api):
    return api.client.get("/api/openapi.json").get_json()


def blueprint_operations(app) -> set[tuple[str, str]]:
    """(method, OpenAPI-style path) of every rule the blueprint registered."""
    ops = set()
    for rule in app.url_map.iter_rules():
        # The catch-all that answers unknown /api/ paths with a 404 is not an operation.
        if not rule.endpoint.startswith("api.") or rule.endpoint.startswith("api.not_found"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        ops |= {(m, path) for m in rule.methods - AUTOMATIC_METHODS}
    return ops


def test_the_document_lists_exactly_the_blueprints_routes(api, document):
    documented = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    assert documented == blueprint_operations(api.app)
    assert ("POST", "/api/orders") in documented and ("GET", "/api/kpis") in documented


def test_every_query_parameter_is_documented(api, document):
    for route in ROUTES:
        op = document["paths"]["/api" + route.path][route.method.lower()]
        assert [p["name"] for p in op["parameters"]] == [p.name for p in route.all_params]


def test_analytics_routes_take_the_filter_parameters(document):
    names = [p.name for p in FILTER_PARAMS]
    assert names[:7] == ["start", "end", "category", "product", "country", "customer", "status"]
    for path in ("/api/kpis", "/api/sales-over-time", "/api/top-products", "/api/orders"):
        params = {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}
        assert set(names) <= set(params)
        assert params["start"]["schema"]["format"] == "date"
        assert params["country"]["schema"]["type"] == "array"


def test_security_and_permissions_are_documented(document):
    post = document["paths"]["/api/orders"]["post"]
    assert post["x-permission"] == "orders:write"
    assert {"201", "400", "401", "403", "409"} <= set(post["responses"])
    assert document["paths"]["/api/openapi.json"]["get"]["security"] == []
    assert document["paths"]["/api/kpis"]["get"]["security"] == [
        {"bearerToken": []},
        {"session": []},
    ]


def test_the_limits_in_the_document_are_the_enforced_ones(document):
    params = {p["name"]: p for p in document["paths"]["/api/top-products"]["get"]["parameters"]}
    assert params["limit"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 10,
    }
    params = {p["name"]: p for p in document["paths"]["/api/orders"]["get"]["parameters"]}
    assert params["page_size"]["schema"]["maximum"] == 500


def test_the_document_is_a_valid_openapi_3_schema(api):
    import schemathesis

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", make_app(api.engine))
    operations = {op.ok().label for op in schema.get_all_operations()}
    # Schemathesis leaves out the document's own route.
    expected = {f"{r.method} /api{r.path}" for r in ROUTES} - {"GET /api/openapi.json"}
    assert operations == expected


def test_choices_mirrored_from_the_domain_modules_match_them():
    import dashapp.segments as segments
    from dashapp.api import routes

    assert tuple(segments.SEGMENTS) == routes.SEGMENTS


def test_forecast_choices_match_the_forecasting_module():
    import dashapp.analytics.forecasting as forecasting
    from dashapp.api import routes

    assert routes.FORECAST_MODELS == forecasting.MODELS
    assert routes.FORECAST_MEASURES == forecasting.MEASURES
    assert [lv / 100 for lv in routes.FORECAST_LEVELS] == list(forecasting.LEVELS)
    assert (forecasting.MIN_HORIZON, forecasting.MAX_HORIZON) == (7, 365)


def test_alert_choices_match_the_anomalies_module():
    import dashapp.analytics.anomalies as anomalies
    from dashapp.api import routes

    assert routes.ALERT_SCOPES == anomalies.SCOPES


def test_order_sort_columns_match_the_history_module():
    import dashapp.orders.history as history
    from dashapp.api import routes

    assert set(routes.ORDER_SORT_COLUMNS) == set(history.COLUMNS)
