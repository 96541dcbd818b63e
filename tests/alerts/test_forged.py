"""The KPI alert rules' callbacks, forged from the table the server publishes: a sales user or
a viewer is refused before Dash runs a write (and dashapp.alerts would refuse it again), a
manager's bad rule comes back as a message that changes nothing, and markup in a name
travels as text."""

from __future__ import annotations

from sqlalchemy import select

from dashapp.store.models import AlertRule
from dashapp.ui import ids
from tests.alerts.shop import PLANES_IN_FRANCE, seed_all
from tests.sites import forged_site_fixture, signed_in_as
from tests.web.forge import answer_text, forge

ADD = f"{ids.KA_ADD}.n_clicks"
# The form as a manager fills it in for the Planes in France rule: each field's id is KA_ and
# the field's name ({"ka-name.value": "Planes in France", ...}).
FIELDS = ("name", "metric", "filter", "period", "comparison", "threshold")
FORM = {f"{getattr(ids, f'KA_{f.upper()}')}.value": getattr(PLANES_IN_FRANCE, f) for f in FIELDS}
site = forged_site_fixture("alerts-forged", seed_all)


def _names(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(AlertRule.name).order_by(AlertRule.id)))


def test_sales_and_viewers_are_refused_and_markup_stays_text(site):
    app, engine = site
    for user in ("sal", "vic"):
        client = signed_in_as(app, user)
        added = forge(client, ADD, FORM, trigger_value=1)
        assert added.status_code == 403
        assert "cannot do this" in added.get_json()["error"]
        rows = [{"id": 1, "row_id": "1", "state": "On"}]
        removed = forge(client, f"{ids.KA_REMOVE}.n_clicks", {f"{ids.KA_RULES}.selectedRows": rows})
        assert removed.status_code == 403
    assert _names(engine) == []

    manager = signed_in_as(app, "max")
    bad = forge(
        manager,
        ADD,
        {**FORM, f"{ids.KA_METRIC}.value": "revnue", f"{ids.KA_FILTER}.value": "colour=red"},
        trigger_value=1,
    )
    assert bad.status_code == 200
    text = answer_text(bad)
    assert "No rule added." in text
    assert "Unknown metric 'revnue'" in text and "Filter: unknown name 'colour'" in text
    assert _names(engine) == []

    name = "<img src=x onerror=alert(1)> =1+1"
    good = forge(manager, ADD, {**FORM, f"{ids.KA_NAME}.value": name}, trigger_value=1)
    assert good.status_code == 200
    message = good.get_json()["response"][ids.KA_MESSAGE]["children"]
    # A string child of an Alert: React renders it as text, never as HTML.
    assert message["props"]["children"] == (
        f"Added {name}: Revenue of category Planes and country France, per week, below "
        "$1,000.00. It is judged at the next check."
    )
    assert _names(engine) == [name]
