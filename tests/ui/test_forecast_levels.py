"""A Forecast interval change reads the forecast fitted for another level (issue 17): one
answer-cache entry holds every level the page offers, on both backends."""

import pandas as pd
import pytest
from cachelib import SimpleCache

from dashapp.auth import get_account, list_users
from dashapp.filters import Filters
from dashapp.ui import forecast as page
from dashapp.ui import ids
from dashapp.ui.shell import view_filters
from dashapp.web.answers import EXTENSION as ANSWERS
from dashapp.web.answers import AnswerCache
from tests.sites import signed_in_client, tiny_site

# Four weeks: the first at 100 a day, then each day is the same weekday a week before plus a
# step of -20, -18, ..., 20 (21 week-on-week changes), so the seasonal naive forecast repeats
# the last week, 82, 88, 94, 100, 106, 112, 118, and its interval comes from those changes.
STEPS = list(range(-20, 21, 2))
VALUES = [100.0] * 7
for step in STEPS:
    VALUES.append(VALUES[-7] + step)
SERIES = pd.Series(VALUES, index=pd.date_range("2024-01-01", periods=28, freq="D"), name="revenue")


def test_an_interval_change_reads_the_forecast_fitted_with_the_first(engine, monkeypatch):
    asked = []
    real = page.forecast

    def counted(series, horizon, model, level):
        asked.append(level)
        return real(series, horizon, model, level)

    monkeypatch.setattr(page, "forecast", counted)
    answers = AnswerCache(SimpleCache(), "test")

    def fitted(level):
        return page.fitted_forecast(
            answers, engine, Filters(), SERIES, "revenue", 7, "naive", level
        )

    first = fitted("0.8")
    assert asked == ["0.8", "0.9", "0.95"]  # one entry: every level the page offers
    assert list(first.mean) == [82.0, 88.0, 94.0, 100.0, 106.0, 112.0, 118.0]
    # 80 %: the 10th and 90th percentiles of the 21 changes, at positions 0.1 x 20 = 2 and 18
    # of -20, -18, ..., 20: -16 and +16 around the mean (one week ahead: x sqrt(1)).
    assert (first.level, first.lower.iloc[0], first.upper.iloc[0]) == (0.8, 66.0, 98.0)
    second = fitted("0.95")
    assert asked == ["0.8", "0.9", "0.95"]  # nothing fitted again
    # 95 %: positions 0.025 x 20 = 0.5 and 19.5, halfway between -20 and -18, 18 and 20: -19
    # and +19 around 82.
    assert (second.level, second.lower.iloc[0], second.upper.iloc[0]) == (0.95, 63.0, 101.0)
    assert fitted("0.9").level == 0.9 and len(asked) == 3


def test_a_forged_level_is_refused_and_cached_for_no_one(engine):
    answers = AnswerCache(SimpleCache(), "test")
    for level in ("0.5", None, ["0.8"]):
        with pytest.raises(ValueError, match="level must be one of"):
            page.fitted_forecast(answers, engine, Filters(), SERIES, "revenue", 7, "naive", level)


# --- the level change on the page: a plain callback reading the cached fit ----------------

VIEW = {"filters": "", "granularity": "month", "preset": "all"}


@pytest.fixture
def site(new_engine, tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("SALES_PULSE_CACHE_DIR", str(tmp_path / "cache"))
    users = [("ada", "admin", "mild tangerine"), ("sam", "sales", "mild tangerine")]
    return tiny_site(new_engine("tiny"), users=users)


def store_fit(app, account, scope="total", category=None) -> None:
    """The answer-cache entry the forecast job leaves for this view: SERIES's naive forecast
    at every level, 7 days, revenue."""
    f = page.scoped_filters(view_filters(VIEW).for_account(account), scope, category, None)
    answers = app.server.extensions[ANSWERS]
    with app.server.test_request_context("/"):
        page.fitted_forecast(answers, app.engine, f, SERIES, "revenue", 7, "naive", "0.8")


GRAPH_KEY = '{"index":0,"type":"fc-graph"}'


def change_level(app, client, level: str, scope="total", category=None, chart_shown=True) -> dict:
    """The level change's answer; `chart_shown`: the forecast chart is on the page (else a
    message is, and the pattern output matches nothing)."""
    (key,) = [k for k in app.callback_map if f"{ids.FC_REFIT}.data.." in k]
    state = [
        (ids.VIEW, "data", VIEW),
        (ids.FC_MEASURE, "value", "revenue"),
        (ids.FC_SCOPE, "value", scope),
        (ids.FC_CATEGORY, "value", category),
        (ids.FC_PRODUCT, "value", None),
        (ids.FC_HORIZON, "value", 7),
        (ids.FC_MODEL, "value", "naive"),
    ]
    outputs = [{"id": ids.FC_BODY, "property": "children"}]
    outputs.append([{"id": page.GRAPH, "property": "figure"}] if chart_shown else [])
    outputs += [{"id": i, "property": p} for i, p in [(ids.FC_CAPTION, "children")]]
    outputs += [{"id": ids.FC_BACKTEST, "property": "children"}]
    outputs += [{"id": ids.FC_REFIT, "property": "data"}]
    response = client.post(
        "/_dash-update-component",
        json={
            "output": key,
            "outputs": outputs,
            "inputs": [{"id": ids.FC_LEVEL, "property": "value", "value": level}],
            "changedPropIds": [f"{ids.FC_LEVEL}.value"],
            "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def account(app, name):
    with app.engine.connect() as conn:
        users = {u["username"]: u["id"] for u in list_users(conn)}
        return get_account(conn, users[name])


def test_fc101_a_level_change_is_answered_from_the_cached_fit(site):
    store_fit(site, account(site, "ada"))
    answer = change_level(site, signed_in_client(site, "ada", "mild tangerine"), "0.95")
    assert ids.FC_REFIT not in answer  # no job
    assert "95 % interval" in answer[ids.FC_CAPTION]["children"]
    # The chart on the page takes the new figure in place: no new chart in the body.
    assert ids.FC_BODY not in answer
    upper = answer[GRAPH_KEY]["figure"]["data"]
    assert 101.0 in [y for trace in upper for y in (trace.get("y") or [])]


def test_fc106_without_a_chart_on_the_page_the_level_change_mounts_one(site):
    store_fit(site, account(site, "ada"))
    ada = signed_in_client(site, "ada", "mild tangerine")
    answer = change_level(site, ada, "0.95", chart_shown=False)
    assert GRAPH_KEY not in answer and ids.FC_REFIT not in answer
    assert "95 % interval" in answer[ids.FC_CAPTION]["children"]
    graph = answer[ids.FC_BODY]["children"]
    assert graph["props"]["id"] == page.GRAPH
    upper = graph["props"]["figure"]["data"]
    assert 101.0 in [y for trace in upper for y in (trace.get("y") or [])]


def test_fc102_without_a_cached_fit_the_job_fits(site):
    answer = change_level(site, signed_in_client(site, "ada", "mild tangerine"), "0.95")
    assert answer == {ids.FC_REFIT: {"data": "0.95"}}


def test_fc103_a_sales_user_never_gets_an_admins_fit(site):
    store_fit(site, account(site, "ada"))
    sam = signed_in_client(site, "sam", "mild tangerine")
    assert change_level(site, sam, "0.95") == {ids.FC_REFIT: {"data": "0.95"}}


def test_fc104_a_category_scope_without_a_category_is_left_to_the_job(site):
    store_fit(site, account(site, "ada"))  # the whole business: the same filters
    ada = signed_in_client(site, "ada", "mild tangerine")
    assert change_level(site, ada, "0.95", scope="category") == {ids.FC_REFIT: {"data": "0.95"}}


def test_fc105_a_signed_out_session_gets_no_forecast(site):
    store_fit(site, account(site, "ada"))
    ada = signed_in_client(site, "ada", "mild tangerine")
    assert ada.post("/logout", headers={"Origin": "http://localhost"}).status_code == 302
    (key,) = [k for k in site.callback_map if f"{ids.FC_REFIT}.data.." in k]
    response = ada.post("/_dash-update-component", json={"output": key, "inputs": [], "state": []})
    assert response.status_code == 401
