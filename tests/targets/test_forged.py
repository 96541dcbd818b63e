"""The Targets page's callbacks, forged from the table the server publishes: a sales user or a
viewer is refused before Dash runs a write (and the domain would refuse it again), a
manager's bad input comes back as a message that changes nothing, and markup in a category
name travels as text."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import func, select

from dashapp.store.models import Target
from dashapp.ui import ids
from tests.sites import forged_site_fixture, signed_in_as
from tests.targets.shop import SHIPS, seed_march
from tests.web.forge import answer_text, forge

ADD = f"{ids.TG_ADD}.n_clicks"
FORM = {
    f"{ids.TG_PERIOD}.value": "2024-03",
    f"{ids.TG_METRIC}.value": "revenue",
    f"{ids.TG_SCOPE}.value": "business",
    f"{ids.TG_AMOUNT}.value": "10,000.00",
}


# seed_march's sam (sales) and vera (viewer) exist without passwords.
site = forged_site_fixture("targets-forged", seed_march)


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Target.__table__))


@pytest.mark.parametrize("user", ["sal", "vic"])
def test_a_sales_user_or_a_viewer_cannot_set_a_target(site, user):
    app, engine = site
    before = _count(engine)
    response = forge(signed_in_as(app, user), ADD, FORM)
    assert response.status_code == 403
    assert "cannot do this" in response.get_json()["error"]
    csv = base64.b64encode(b"period,metric,amount\n2024-03,revenue,5\n").decode()
    upload = forge(
        signed_in_as(app, user),
        f"{ids.TG_UPLOAD}.contents",
        {f"{ids.TG_UPLOAD}.filename": "t.csv"},
        trigger_value=f"data:text/csv;base64,{csv}",
    )
    assert upload.status_code == 403
    assert _count(engine) == before


def test_a_managers_bad_target_is_a_message_and_changes_nothing(site):
    app, engine = site
    before = _count(engine)
    response = forge(signed_in_as(app, "max"), ADD, {**FORM, f"{ids.TG_AMOUNT}.value": "-3"})
    assert response.status_code == 200
    text = answer_text(response)
    assert "Not set." in text and "Amount must be 0 or more" in text
    assert _count(engine) == before


def test_markup_in_a_category_name_is_text(site):
    app, engine = site
    values = {
        **FORM,
        f"{ids.TG_SCOPE}.value": "category",
        f"{ids.TG_KEY}.value": SHIPS,
        f"{ids.TG_PERIOD}.value": "2024-Q1",
    }
    response = forge(signed_in_as(app, "max"), ADD, values)
    assert response.status_code == 200
    message = response.get_json()["response"][ids.TG_MESSAGE]["children"]
    # A string child of an Alert: React renders it as text, never as HTML.
    assert message["props"]["children"] == (
        f"Set: Revenue target for category {SHIPS} in Q1 2024, $10,000.00."
    )
    with engine.connect() as conn:
        assert conn.scalar(select(Target.scope_key).where(Target.scope == "category")) == SHIPS
