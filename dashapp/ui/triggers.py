"""What runs a section's callbacks, said once: a click (every write the page makes starts with
one, never with the page drawing the button), the row selected in a grid, and the refresh
token (Refresh, auto-refresh, or a write) that makes every read ask again."""

from __future__ import annotations

from collections.abc import Sequence

from dash import Dash, Input, Output, State
from sqlalchemy import Engine

from dashapp.orders import data_version
from dashapp.ui import ids
from dashapp.web.access import guarded


def _callback(app: Dash, permission: str | None, *deps, **kwargs):
    """`guarded` by `permission`; None: a callback that reads or changes nothing an account
    may be refused (opening a dialog, enabling a button)."""
    if permission is None:
        return app.callback(*deps, **kwargs)
    return guarded(app, permission, *deps, **kwargs)


def on_click(
    app: Dash,
    permission: str | None,
    buttons: str | Sequence[str],
    outputs: Sequence[Output],
    states: Sequence[State] = (),
    **kwargs,
):
    """A callback run by a click on any of `buttons`, never on the page's first draw.

    The dependencies stand in Dash's order: `outputs`, one n_clicks input per button (in the
    order given, as the function's arguments), then `states`."""
    clicks = [Input(b, "n_clicks") for b in ([buttons] if isinstance(buttons, str) else buttons)]
    return _callback(
        app, permission, *outputs, *clicks, *states, prevent_initial_call=True, **kwargs
    )


def on_selection(
    app: Dash, permission: str | None, grid: str, outputs: Sequence[Output], *inputs: Input
):
    """A callback that shows what depends on the row selected in `grid` (its details, the
    buttons that act on it), and again when any of `inputs` changes."""
    return _callback(app, permission, *outputs, Input(grid, "selectedRows"), *inputs)


def on_refresh(
    app: Dash,
    permission: str | None,
    outputs: Sequence[Output],
    inputs: Sequence[Input],
    states: Sequence[State] = (),
):
    """A read: a callback run when any of `inputs` changes, and again on the refresh token."""
    refresh = Input(ids.REFRESH_TOKEN, "data")
    return _callback(app, permission, *outputs, *inputs, refresh, *states)


def wrote(message: str) -> list[Output]:
    """The outputs a write answers with: what it did, in `message`, and a new refresh token,
    so that every grid and figure on the page asks again."""
    return [
        Output(message, "children", allow_duplicate=True),
        Output(ids.REFRESH_TOKEN, "data", allow_duplicate=True),
    ]


def new_token(engine: Engine) -> str:
    """The data version after a write: the new refresh token every read waits for."""
    with engine.connect() as conn:
        return data_version(conn)
