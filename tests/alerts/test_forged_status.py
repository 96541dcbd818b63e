"""The KPI alerts' Acknowledge / Resolve / Reopen callback, forged from the table the server
publishes: a sales user or a viewer is refused before Dash runs it, a row id that names no
alert changes nothing, and a manager's click changes exactly the alert selected."""

from __future__ import annotations

from datetime import date

from dashapp.alerts import add_rule, check_rules, list_kpi_alerts
from dashapp.ui import ids
from tests.alerts.shop import MANAGER, PLANES_IN_FRANCE, TODAY, seed_all
from tests.sites import forged_site_fixture, signed_in_as
from tests.web.forge import answer_text, forge

ACK = f"{ids.KA_ACK}.n_clicks"
SELECTED = f"{ids.KA_ALERTS}.selectedRows"


def _seed(engine) -> None:
    seed_all(engine)
    add_rule(engine, PLANES_IN_FRANCE, MANAGER)
    check_rules(engine, today=TODAY)  # Planes in France, week of 4 March: 800.00, fires


site = forged_site_fixture("alert-status-forged", _seed)


def _statuses(engine) -> list[str]:
    with engine.connect() as conn:
        return [a["status"] for a in list_kpi_alerts(conn, MANAGER)]


def test_only_a_manager_changes_the_selected_alert(site):
    app, engine = site
    with engine.connect() as conn:
        [alert] = list_kpi_alerts(conn, MANAGER)
    assert alert["period_start"] == date(2024, 3, 4)
    row = {"id": alert["id"], "row_id": str(alert["id"]), "status": "open", "rule": "<b>x</b>"}
    for user in ("sal", "vic"):
        refused = forge(signed_in_as(app, user), ACK, {SELECTED: [row]})
        assert refused.status_code == 403
    assert _statuses(engine) == ["open"]

    manager = signed_in_as(app, "max")
    gone = forge(manager, ACK, {SELECTED: [{**row, "id": 999, "row_id": "999"}]})
    assert gone.status_code == 200
    assert "That alert no longer exists." in answer_text(gone)
    bad = forge(manager, ACK, {SELECTED: [{**row, "id": "1; DROP TABLE kpi_alerts"}]})
    assert bad.status_code == 200 and "Nothing changed." in answer_text(bad)
    assert _statuses(engine) == ["open"]

    done = forge(manager, ACK, {SELECTED: [row]})
    assert done.status_code == 200
    message = done.get_json()["response"][ids.KA_ALERT_MESSAGE]["children"]
    # The rule's name and period from the server, not from the forged row's "<b>x</b>".
    assert (
        message["props"]["children"] == "Planes in France, 4 Mar 2024 – 10 Mar 2024: acknowledged."
    )
    assert _statuses(engine) == ["acknowledged"]
