"""Forged Dash callback requests, built the way an attacker would: from the callback table the
server publishes at /_dash-dependencies, with values of the attacker's choosing.

    forge(client, "order-confirm-ok.n_clicks", {"order-confirm-action.data": {...}})

finds the callback whose inputs include that prop, fills every input and state from `values`
(None where not given) and posts it to /_dash-update-component as the browser would.
"""

from __future__ import annotations

import json
from typing import Any

from dashapp.ui import ids

UPDATE = "/_dash-update-component"
# The Overview's KPI row as the page asks for it on load (month granularity, no filter).
KPI_CALLBACK = {
    "output": f"{ids.KPI_ROW}.children",
    "outputs": {"id": ids.KPI_ROW, "property": "children"},
    "inputs": [
        {"id": ids.VIEW, "property": "data", "value": {"filters": "", "granularity": "month"}},
        {"id": ids.REFRESH_TOKEN, "property": "data", "value": None},
    ],
    "changedPropIds": [f"{ids.VIEW}.data"],
    "state": [],
}


def callback_table(client) -> list[dict]:
    response = client.get("/_dash-dependencies")
    assert response.status_code == 200, response.data[:200]
    return response.get_json()


def find_callback(client, trigger: str, output: str | None = None) -> dict:
    """The one callback triggered by `trigger` ("id.prop"), optionally writing `output`."""
    found = [
        dep
        for dep in callback_table(client)
        if any(f"{i['id']}.{i['property']}" == trigger for i in dep["inputs"])
        and (output is None or output in dep["output"])
    ]
    assert len(found) == 1, f"{len(found)} callbacks for {trigger} / {output}"
    return found[0]


def _is_wildcard(id_: str) -> bool:
    return id_.startswith("{")


def _outputs(key: str, matches: dict[str, list[dict]]) -> Any:
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    specs = []
    for part in parts:
        target, prop = part.rsplit(".", 1)
        if _is_wildcard(target):
            kind = json.loads(target)["type"]
            specs.append([{"id": m, "property": prop.split("@")[0]} for m in matches[kind]])
        else:
            specs.append({"id": target, "property": prop})
    return specs if key.startswith("..") else specs[0]


def _deps(deps: list[dict], values: dict[str, Any], matches: dict[str, list[dict]]) -> list:
    filled = []
    for dep in deps:
        id_, prop = dep["id"], dep["property"]
        if _is_wildcard(id_):
            kind = json.loads(id_)["type"]
            filled.append(
                [
                    {"id": m, "property": prop, "value": m if prop == "id" else None}
                    for m in matches[kind]
                ]
            )
        else:
            filled.append({"id": id_, "property": prop, "value": values.get(f"{id_}.{prop}")})
    return filled


def forge(
    client,
    trigger: str,
    values: dict[str, Any],
    *,
    output: str | None = None,
    matches: dict[str, list[dict]] | None = None,
    trigger_value: Any = 1,
    changed: str | None = None,
):
    """Post the callback triggered by `trigger` with `values` ({"id.prop": value}); wildcard
    components are the concrete ids in `matches` (by their id's "type"). The browser says
    `changed` fired (default: the trigger)."""
    matches = matches or {}
    dep = find_callback(client, trigger, output)
    values = {**values, trigger: trigger_value}
    body = {
        "output": dep["output"],
        "outputs": _outputs(dep["output"], matches),
        "inputs": _deps(dep["inputs"], values, matches),
        "changedPropIds": [changed or trigger],
        "state": _deps(dep.get("state", []), values, matches),
    }
    return client.post(UPDATE, data=json.dumps(body), content_type="application/json")


def answer_text(response) -> str:
    """Everything the callback answered (outputs and side updates) as one string."""
    return json.dumps(response.get_json())
