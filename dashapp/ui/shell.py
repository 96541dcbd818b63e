"""The page around the sections: navigation, the filter header, chips, refresh, errors.

One callback (`sync_view`) owns the view: it reads the URL, the controls, chip removals and
chart clicks, and writes back the controls, the URL and the view store every section reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp.analytics import dimensions
from dashapp.analytics.query import data_bounds
from dashapp.filters import DIMENSIONS, GRANULARITIES, Filters
from dashapp.store.models import ORDER_STATUSES
from dashapp.ui import ids
from dashapp.ui.account import account_modal
from dashapp.ui.view import PRESETS, View, view_from_controls, view_from_query
from dashapp.web.access import current_account

AUTO_REFRESH_CHOICES = {
    "off": "Auto-refresh off",
    "60": "Every minute",
    "300": "Every 5 min",
    "900": "Every 15 min",
}
SEARCH_LIMIT = 30
# The header's dropdowns, by Filters dimension. A dimension without one (channel) is set by a
# link, kept through control changes (view_from_controls) and shown as a chip only.
CONTROLS = {
    "category": ids.CATEGORY,
    "product": ids.PRODUCT,
    "country": ids.COUNTRY,
    "customer": ids.CUSTOMER,
    "status": ids.STATUS,
}


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    path: str
    layout: Callable[[], object]
    permission: str = "view"


def _dropdown(id_: str, placeholder: str, **kwargs) -> dcc.Dropdown:
    return dcc.Dropdown(
        id=id_, multi=True, placeholder=placeholder, value=[], className="filter-dropdown", **kwargs
    )


def _filter_panel() -> html.Div:
    labelled = [
        (
            "Dates",
            html.Div(
                [
                    dcc.Dropdown(
                        id=ids.PRESET,
                        options=[{"label": v, "value": k} for k, v in PRESETS.items()],
                        value="all",
                        clearable=False,
                        searchable=False,
                        className="preset-dropdown",
                    ),
                    dcc.DatePickerRange(
                        id=ids.DATES,
                        display_format="D MMM YYYY",
                        first_day_of_week=1,
                        start_date_placeholder_text="Start",
                        end_date_placeholder_text="End",
                        className="date-range",
                    ),
                ],
                className="d-flex flex-wrap gap-2 align-items-center",
            ),
        ),
        ("Category", _dropdown(ids.CATEGORY, "All categories")),
        ("Product", _dropdown(ids.PRODUCT, "Search products")),
        ("Country", _dropdown(ids.COUNTRY, "All countries")),
        ("Customer", _dropdown(ids.CUSTOMER, "Search customers")),
        (
            "Status",
            _dropdown(
                ids.STATUS,
                "All statuses",
                options=[{"label": s, "value": s} for s in ORDER_STATUSES],
            ),
        ),
        (
            "Granularity",
            dbc.RadioItems(
                id=ids.GRANULARITY,
                options=[{"label": g.title(), "value": g} for g in GRANULARITIES],
                value="month",
                inline=True,
                input_class_name="btn-check",
                label_class_name="btn btn-outline-primary btn-sm",
                label_checked_class_name="active",
                class_name="btn-group granularity",
            ),
        ),
    ]
    fields = [
        html.Div([html.Label(label, className="filter-label"), control], className="filter-field")
        for label, control in labelled
    ]
    return html.Div(
        [
            html.Div(
                [
                    html.Span("Filters", className="h6 mb-0"),
                    dbc.Button(
                        "×",
                        id=ids.FILTERS_TOGGLE + "-close",
                        className="btn-close-panel",
                        color="link",
                        title="Close filters",
                    ),
                ],
                className="d-flex d-lg-none justify-content-between align-items-center mb-2",
            ),
            html.Div(fields, className="filter-grid"),
            html.Div(
                [
                    html.Div(id=ids.CHIPS, className="chips", **{"aria-live": "polite"}),
                    dbc.Button(
                        "Reset filters", id=ids.RESET, color="secondary", outline=True, size="sm"
                    ),
                ],
                className="d-flex justify-content-between align-items-center gap-2 mt-2",
            ),
        ],
        id=ids.FILTERS_OFFCANVAS,
        className="filter-panel card card-body",
    )


def _user_menu(account, demo: bool) -> html.Span:
    if account is None:
        return html.Span()
    parts = [
        html.Span(account.username, className="fw-semibold", id="user-name"),
        dbc.Badge(account.role, color="secondary", className="role-badge ms-1", id="user-role"),
    ]
    if demo:
        parts.insert(
            0,
            html.Span(
                "Demo mode",
                className="demo-badge me-1",
                title="Everyone is signed in as the demo admin",
            ),
        )
    parts.append(
        dbc.Button("Account", id=ids.ACCOUNT_OPEN, color="link", size="sm", className="ms-1 px-1")
    )
    # On a phone only Sign out stays: the header has no room for the rest.
    parts = [html.Span(parts, className="d-none d-md-inline")]
    # A POST from this page (web/access.py): a plain link would let any page sign you out.
    parts.append(
        html.Form(
            html.Button(
                "Sign out", type="submit", className="btn btn-link btn-sm px-1", id="sign-out"
            ),
            action="/logout",
            method="POST",
            className="sign-out-form ms-1",
            id="sign-out-form",
        )
    )
    return html.Span(parts, className="user-menu")


def _topbar(account, demo: bool) -> dbc.Navbar:
    return dbc.Navbar(
        dbc.Container(
            [
                html.A(
                    [html.Span("●", className="brand-dot"), " Sales Pulse"],
                    href="/",
                    className="navbar-brand",
                ),
                html.Div(
                    [
                        dbc.Button(
                            "Filters",
                            id=ids.FILTERS_TOGGLE,
                            color="primary",
                            size="sm",
                            className="d-lg-none",
                        ),
                        html.Span(id=ids.LAST_UPDATED, className="last-updated"),
                        dbc.Button(
                            "Refresh",
                            id=ids.REFRESH,
                            color="light",
                            size="sm",
                            title="Reload the figures from the database",
                        ),
                        dbc.Select(
                            id=ids.AUTO_REFRESH,
                            value="off",
                            size="sm",
                            options=[
                                {"label": v, "value": k} for k, v in AUTO_REFRESH_CHOICES.items()
                            ],
                            className="auto-refresh",
                        ),
                        html.Span(
                            [
                                dcc.Clipboard(
                                    id=ids.COPY_LINK,
                                    title="Copy a link to this view",
                                    className="copy-link",
                                ),
                                html.Span("Copy link", className="d-none d-md-inline"),
                            ],
                            className="copy-link-wrap",
                        ),
                        _user_menu(account, demo),
                    ],
                    className="d-flex align-items-center gap-2 flex-wrap justify-content-end",
                ),
            ],
            fluid=True,
            className="flex-nowrap",
        ),
        color="white",
        className="topbar border-bottom",
    )


def layout(sections: list[Section], account=None, demo: bool = False) -> html.Div:
    """The whole page for one user; sections render into PAGE by URL path.

    Sections the account may not see are not offered (the server refuses them anyway)."""
    sections = [s for s in sections if account is None or account.can(s.permission)]
    nav = dbc.Nav(
        [
            dbc.NavLink(s.label, id=ids.nav_link(s.key), href=s.path, active="exact")
            for s in sections
        ],
        vertical="lg",
        pills=True,
        className="section-nav",
        id=ids.NAV,
    )
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.VIEW),
            dcc.Store(id=ids.REFRESH_TOKEN, data=None),
            dcc.Interval(id=ids.INTERVAL, interval=60_000, disabled=True),
            _topbar(account, demo),
            account_modal(),
            dbc.Alert(
                id=ids.ERROR_ALERT,
                is_open=False,
                dismissable=True,
                color="danger",
                className="error-alert",
            ),
            html.Div(
                [
                    html.Aside(nav, className="sidebar"),
                    html.Main([_filter_panel(), html.Div(id=ids.PAGE)], className="main"),
                ],
                className="app-body",
            ),
        ],
        className="app-root",
    )


def _clicked_value(click: dict | None) -> str | None:
    if not click or not click.get("points"):
        return None
    point = click["points"][0]
    value = point.get("customdata")
    if isinstance(value, list):
        value = value[0]
    if value is None:
        value = point.get("label")
    return value


def register_callbacks(app: Dash, engine: Engine, sections: dict[str, Section]) -> None:
    """Callbacks of the shell: view sync, chips, options, navigation, refresh."""
    controls = list(CONTROLS.values())

    @app.callback(
        Output(ids.VIEW, "data"),
        Output(ids.PRESET, "value"),
        Output(ids.DATES, "start_date"),
        Output(ids.DATES, "end_date"),
        *[Output(c, "value") for c in controls],
        Output(ids.GRANULARITY, "value"),
        Output(ids.URL, "search"),
        # Options travel with the values: the dropdown drops a value missing from its options.
        Output(ids.CATEGORY, "options"),
        Output(ids.PRODUCT, "options"),
        Output(ids.COUNTRY, "options"),
        Output(ids.CUSTOMER, "options"),
        Input(ids.URL, "search"),
        Input(ids.PRESET, "value"),
        Input(ids.DATES, "start_date"),
        Input(ids.DATES, "end_date"),
        *[Input(c, "value") for c in controls],
        Input(ids.GRANULARITY, "value"),
        Input(ids.RESET, "n_clicks"),
        Input({"type": "filter-chip", "dim": ALL, "value": ALL}, "n_clicks"),
        Input({"type": "xfilter", "name": ALL, "dim": ALL}, "clickData"),
        Input(ids.REFRESH_TOKEN, "data"),
        State(ids.VIEW, "data"),
    )
    def sync_view(
        search,
        preset,
        start,
        end,
        cats,
        prods,
        countries,
        custs,
        statuses,
        gran,
        _reset,
        _chips,
        _clicks,
        _token,
        current,
    ):
        trigger = ctx.triggered_id
        # Charts and chips appearing (clickData None, n_clicks 0) are not user actions: the URL
        # stays the source of truth, also when such a call overtakes the page-load call.
        spurious = isinstance(trigger, dict) and not any(t["value"] for t in ctx.triggered)
        if spurious and current is not None and f"{ids.URL}.search" not in ctx.triggered_prop_ids:
            # The view is already set: answering again would make every section's callbacks
            # run a second time on each page load (they all listen to the view).
            raise PreventUpdate
        if trigger is None or spurious or f"{ids.URL}.search" in ctx.triggered_prop_ids:
            view, _ = view_from_query(search)
        elif trigger == ids.RESET:
            view = View()
        else:
            selected = dict(zip(CONTROLS, (cats, prods, countries, custs, statuses), strict=True))
            view = view_from_controls(
                view_from_query(search)[0], preset, start, end, selected, gran
            )
            if trigger == ids.PRESET and preset == "custom" and not (start and end):
                view = View(view.filters, "all", view.granularity)
            elif trigger == ids.PRESET:
                view = View(view.filters.with_range(None, None), preset, view.granularity)
            elif trigger == ids.DATES:
                view = View(view.filters, "custom", view.granularity)
            elif isinstance(trigger, dict) and trigger.get("type") == "filter-chip":
                value = trigger["value"]
                dim = trigger["dim"]
                view = _remove(view, dim, value)
            elif isinstance(trigger, dict) and trigger.get("type") == "xfilter":
                value = _clicked_value(ctx.triggered[0]["value"])
                if value is None:
                    raise PreventUpdate
                dim = trigger["dim"]
                if dim == "customer":
                    value = int(value)
                view = View(view.filters.toggled(dim, value), view.preset, view.granularity)
        with engine.connect() as conn:
            _, last_day = data_bounds(conn)
            f = view.resolved(last_day).filters
            options = (
                _options(dimensions.categories(conn)),
                _merge_options(
                    dimensions.product_labels(conn, f.products),
                    dimensions.find_products(conn, "", SEARCH_LIMIT),
                ),
                _options(dimensions.countries(conn)),
                _merge_options(
                    dimensions.customer_labels(conn, f.customers),
                    dimensions.find_customers(conn, "", SEARCH_LIMIT),
                ),
            )
        query = view.to_query()
        new_search = f"?{query}" if query else ""
        return (
            {"filters": f.to_query(), "granularity": view.granularity, "preset": view.preset},
            view.preset,
            f.start.isoformat() if f.start else None,
            f.end.isoformat() if f.end else None,
            *[list(f.values(dim)) for dim in CONTROLS],
            view.granularity,
            new_search if new_search != (search or "") else no_update,
            *options,
        )

    @app.callback(Output(ids.CHIPS, "children"), Input(ids.VIEW, "data"))
    def render_chips(view_data):
        f = filters_of(view_data)
        with engine.connect() as conn:
            products = dimensions.product_labels(conn, f.products)
            customers = dimensions.customer_labels(conn, f.customers)
        labels = {
            "product": lambda v: products.get(v, v),
            "customer": lambda v: customers.get(v, f"#{v}"),
        }
        chips = []
        # Every dimension the filters know, so no filter applies unseen (a ?channel= link too).
        for dim in DIMENSIONS:
            label = labels.get(dim, str)
            for v in f.values(dim):
                chips.append(
                    html.Button(
                        [
                            html.Span(f"{dim.title()}: {label(v)}"),
                            html.Span("×", className="chip-x", **{"aria-hidden": "true"}),
                        ],
                        id=ids.chip(dim, v),
                        className="filter-chip",
                        n_clicks=0,
                        title=f"Remove this filter ({dim} {label(v)})",
                    )
                )
        if not chips:
            return html.Span("No filters: showing every order.", className="text-muted small")
        return chips

    @app.callback(
        Output(ids.PRODUCT, "options", allow_duplicate=True),
        Input(ids.PRODUCT, "search_value"),
        State(ids.PRODUCT, "value"),
        prevent_initial_call=True,
    )
    def product_options(search, selected):
        if not search:  # picking an option clears the search: keep the options it came from
            raise PreventUpdate
        with engine.connect() as conn:
            chosen = dimensions.product_labels(conn, selected or [])
            found = dimensions.find_products(conn, search or "", SEARCH_LIMIT)
        return _merge_options(chosen, found)

    @app.callback(
        Output(ids.CUSTOMER, "options", allow_duplicate=True),
        Input(ids.CUSTOMER, "search_value"),
        State(ids.CUSTOMER, "value"),
        prevent_initial_call=True,
    )
    def customer_options(search, selected):
        if not search:  # picking an option clears the search: keep the options it came from
            raise PreventUpdate
        with engine.connect() as conn:
            chosen = dimensions.customer_labels(conn, selected or [])
            found = dimensions.find_customers(conn, search or "", SEARCH_LIMIT)
        return _merge_options(chosen, found)

    @app.callback(Output(ids.PAGE, "children"), Input(ids.URL, "pathname"))
    def render_page(pathname):
        section = sections.get(pathname or "/")
        if section is None:
            return dbc.Alert(
                ["There is no page here. ", html.A("Go to the overview", href="/")],
                color="light",
                className="empty-state",
            )
        account = current_account()
        if account is not None and not account.can(section.permission):
            return dbc.Alert(
                f"Your role ({account.role}) cannot open {section.label}.",
                color="warning",
                className="empty-state",
            )
        return section.layout()

    @app.callback(
        Output({"type": "nav-link", "section": ALL}, "href"),
        Input(ids.URL, "search"),
        State({"type": "nav-link", "section": ALL}, "id"),
    )
    def keep_filters_across_sections(search, link_ids):
        paths = {s.key: s.path for s in sections.values()}
        return [paths[i["section"]] + (search or "") for i in link_ids]

    @app.callback(
        Output(ids.REFRESH_TOKEN, "data"),
        Output(ids.ERROR_ALERT, "is_open"),
        Input(ids.REFRESH, "n_clicks"),
        Input(ids.INTERVAL, "n_intervals"),
        prevent_initial_call=True,
    )
    def refresh(_clicks, _ticks):
        # Pressing refresh is the retry the error alert asks for: close it; the callbacks this
        # sets off open it again if they still fail.
        retry = ctx.triggered_id == ids.REFRESH
        return datetime.now().isoformat(timespec="seconds"), False if retry else no_update

    @app.callback(Output(ids.LAST_UPDATED, "children"), Input(ids.VIEW, "data"))
    def stamp(_view):
        return f"Updated {datetime.now():%H:%M:%S}"

    @app.callback(
        Output(ids.INTERVAL, "interval"),
        Output(ids.INTERVAL, "disabled"),
        Input(ids.AUTO_REFRESH, "value"),
    )
    def auto_refresh(choice):
        if not choice or choice == "off":
            return no_update, True
        return int(choice) * 1000, False

    app.clientside_callback(
        "function(n) { return window.location.href; }",
        Output(ids.COPY_LINK, "content"),
        Input(ids.COPY_LINK, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        """function(open, close, cls) {
            const base = (cls || '').replace(' open', '');
            const t = window.dash_clientside.callback_context.triggered_id;
            return t === 'filters-toggle' ? base + ' open' : base;
        }""",
        Output(ids.FILTERS_OFFCANVAS, "className"),
        Input(ids.FILTERS_TOGGLE, "n_clicks"),
        Input(ids.FILTERS_TOGGLE + "-close", "n_clicks"),
        State(ids.FILTERS_OFFCANVAS, "className"),
        prevent_initial_call=True,
    )


def _remove(view: View, dim: str, value: str) -> View:
    current = view.filters.values(dim)
    match = next((v for v in current if str(v) == value), None)
    if match is None:
        raise PreventUpdate
    return View(view.filters.without(dim, match), view.preset, view.granularity)


def _options(values: list[str]) -> list[dict]:
    return [{"label": v, "value": v} for v in values]


def _merge_options(chosen: dict, found: list[tuple]) -> list[dict]:
    options = [{"label": label, "value": value} for value, label in chosen.items()]
    options += [{"label": label, "value": value} for value, label in found if value not in chosen]
    return options


def filters_of(view_data: dict | None) -> Filters:
    """The resolved filters held in the view store, scoped to what the signed-in account may
    see (a sales user: the orders they entered)."""
    return view_filters(view_data).for_account(current_account())


def view_filters(view_data: dict | None) -> Filters:
    """The filters held in the view store, not yet scoped to an account (background jobs scope
    them to the account their page signed, see web.access.job_account)."""
    return Filters.from_query((view_data or {}).get("filters", ""))


def granularity_of(view_data: dict | None) -> str:
    return (view_data or {}).get("granularity") or "month"
