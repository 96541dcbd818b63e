"""The page around the sections: navigation, the filter header, chips, refresh, errors.

One callback (`sync_view`) owns the view: it reads the URL, the controls, chip removals and
chart clicks, and writes back the controls, the URL and the view store every section reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import dash_bootstrap_components as dbc
from dash import (
    ALL,
    ClientsideFunction,
    Dash,
    Input,
    Output,
    State,
    ctx,
    dcc,
    html,
    no_update,
)
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp.analytics import dimensions, geography
from dashapp.analytics.query import data_bounds
from dashapp.filters import (
    DIMENSIONS,
    GRANULARITIES,
    FilterError,
    Filters,
    dimension_label,
    refusal,
)
from dashapp.store.models import ORDER_STATUSES
from dashapp.ui import downloads, ids
from dashapp.ui.account import account_modal
from dashapp.ui.parts import HIDDEN, choice_buttons, labelled, secondary_button
from dashapp.ui.saved_views import menu as saved_views_menu
from dashapp.ui.saved_views import register_callbacks as register_saved_views
from dashapp.ui.text import date_text
from dashapp.ui.view import PRESETS, View, view_from_controls, view_from_query, with_top
from dashapp.web.access import current_account
from dashapp.web.answers import cached

AUTO_REFRESH_CHOICES = {
    "off": "Auto-refresh off",
    "60": "Every minute",
    "300": "Every 5 min",
    "900": "Every 15 min",
}
SEARCH_LIMIT = 30
# Parts of the page a button folds away: (the part, its button).
FOLDING = ((ids.FILTERS_MORE_ROW, ids.FILTERS_MORE), (ids.TOPBAR_MORE, ids.TOPBAR_MENU))
# The header's dropdowns, by Filters dimension. A dimension without one (channel) is set by a
# link, kept through control changes (view_from_controls) and shown as a chip only.
CONTROLS = {
    "category": ids.CATEGORY,
    "product": ids.PRODUCT,
    "country": ids.COUNTRY,
    "customer": ids.CUSTOMER,
    "status": ids.STATUS,
    "region": ids.REGION,
    "state": ids.STATE,
    "city": ids.CITY,
    "segment": ids.SEGMENT,
    "subcategory": ids.SUBCATEGORY,
    "ship_mode": ids.SHIP_MODE,
}
# The dropdowns listing the stored values (dimensions.listed_values): each is shown only when
# the data has such values (imported files with ship-to geography, segments...) or the view
# selects one, so demo data, which has none, shows none of them.
LISTED_CONTROLS = {
    "region": ("Region", "All regions"),
    "state": ("State / province", "All states"),
    "city": ("City", "All cities"),
    "segment": ("Segment", "All segments"),
    "subcategory": ("Sub-category", "All sub-categories"),
    "ship_mode": ("Ship mode", "All ship modes"),
}


# The header's filter fields. A section names those its figures read: the others are hidden
# on it, and their chips say they do not apply there. A section that reads none (the catalog,
# the admin pages) shows no filter panel at all.
FILTER_FIELDS = (
    "dates",
    "category",
    "product",
    "country",
    "customer",
    "status",
    *LISTED_CONTROLS,
    "granularity",
)
# Fields folded under "More filters" on a wide screen (the offcanvas on a phone shows them all).
MORE_FIELDS = ("product", "customer", "status", *LISTED_CONTROLS)


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    layout: Callable[[], object]
    path: str = ""  # the URL path; "/<key>" unless given
    permission: str = "view"
    filters: tuple[str, ...] = FILTER_FIELDS
    # One line in the filter panel when the filters apply to part of the page only.
    filters_note: str = ""

    def __post_init__(self) -> None:
        if not self.path:
            object.__setattr__(self, "path", f"/{self.key}")


def scope_class(fields: tuple[str, ...]) -> str:
    """The filter panel's class on a section that reads `fields`: CSS hides the rest."""
    if not fields:
        return "filter-scope no-filters"
    hidden = [f"hide-{f}" for f in FILTER_FIELDS if f not in fields]
    return " ".join(["filter-scope", *hidden])


def _dropdown(id_: str, placeholder: str, **kwargs) -> dcc.Dropdown:
    return dcc.Dropdown(
        id=id_, multi=True, placeholder=placeholder, value=[], className="filter-dropdown", **kwargs
    )


def _field(name: str, label: str, control) -> html.Div:
    return labelled(label, control, f"filter-field field-{name}")


def _listed_field(name: str) -> html.Div:
    """A dropdown of a LISTED dimension, hidden until the data has values for it."""
    label, placeholder = LISTED_CONTROLS[name]
    field = _field(name, label, _dropdown(CONTROLS[name], placeholder))
    field.id = ids.filter_field(name)
    field.style = HIDDEN
    return field


def _filter_panel() -> html.Div:
    dates = html.Div(
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
    )
    granularity = choice_buttons(
        ids.GRANULARITY,
        {g: g.title() for g in GRANULARITIES},
        "month",
        class_name="btn-group granularity",
    )
    status = _dropdown(
        ids.STATUS, "All statuses", options=[{"label": s, "value": s} for s in ORDER_STATUSES]
    )
    return html.Div(
        html.Div(
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
                html.Div(
                    [
                        _field("dates", "Dates", dates),
                        _field("category", "Category", _dropdown(ids.CATEGORY, "All categories")),
                        _field("country", "Country", _dropdown(ids.COUNTRY, "All countries")),
                        _field("granularity", "Granularity", granularity),
                    ],
                    className="filter-bar",
                ),
                html.Div(
                    [
                        _field("product", "Product", _dropdown(ids.PRODUCT, "Search products")),
                        _field("customer", "Customer", _dropdown(ids.CUSTOMER, "Search customers")),
                        _field("status", "Status", status),
                        *[_listed_field(name) for name in LISTED_CONTROLS],
                    ],
                    id=ids.FILTERS_MORE_ROW,
                    className="filter-more",
                ),
                html.Div(
                    [
                        html.Div(id=ids.CHIPS, className="chips", **{"aria-live": "polite"}),
                        html.Span(id=ids.FILTER_NOTE, className="filter-note"),
                        html.Button(
                            "More filters",
                            id=ids.FILTERS_MORE,
                            type="button",
                            className="btn btn-link btn-sm filters-more-button",
                            title="Product, customer, status, and where the data has them: "
                            "region, state, city, segment, sub-category and ship mode",
                            **{"aria-controls": ids.FILTERS_MORE_ROW, "aria-expanded": "false"},
                        ),
                        secondary_button("Reset filters", ids.RESET, size="sm"),
                    ],
                    className="filter-foot",
                ),
            ],
            id=ids.FILTERS_OFFCANVAS,
            className="filter-panel card card-body",
        ),
        id=ids.FILTER_SCOPE,
        className=scope_class(FILTER_FIELDS),
    )


def _user_menu(account, demo: bool) -> list:
    """Who is signed in, Account and Sign out; inline on a wide screen, in the menu on a phone."""
    if account is None:
        return []
    parts = []
    if demo:
        parts.append(
            html.Span(
                "Demo mode",
                className="demo-badge",
                title="Everyone is signed in as the demo admin",
            )
        )
    parts.append(
        html.Span(
            [
                html.Span(account.username, className="fw-semibold", id="user-name"),
                dbc.Badge(
                    account.role, color="secondary", className="role-badge ms-1", id="user-role"
                ),
            ],
            className="user-who",
        )
    )
    parts.append(
        dbc.Button("Account", id=ids.ACCOUNT_OPEN, color="link", size="sm", className="px-1")
    )
    # A POST from this page (web/access.py): a plain link would let any page sign you out.
    parts.append(
        html.Form(
            html.Button(
                "Sign out", type="submit", className="btn btn-link btn-sm px-1", id="sign-out"
            ),
            action="/logout",
            method="POST",
            className="sign-out-form",
            id="sign-out-form",
        )
    )
    return [html.Span(parts, className="user-menu")]


def _share_popover() -> dbc.Popover:
    """What "Copy link" did, the link itself, and for a range that follows the data ("last 90
    days") the same link pinned to the dates shown now."""
    return dbc.Popover(
        dbc.PopoverBody(
            [
                html.Div(id=ids.COPY_STATUS, className="copy-status", **{"aria-live": "polite"}),
                html.Label("The copied link", htmlFor=ids.COPY_URL, className="visually-hidden"),
                dbc.Input(id=ids.COPY_URL, readonly=True, size="sm", className="copy-url"),
                html.Div(
                    [
                        html.Div(id=ids.COPY_EXACT_NOTE, className="copy-exact-note"),
                        dbc.Button(
                            "Copy with these exact dates",
                            id=ids.COPY_EXACT,
                            color="primary",
                            outline=True,
                            size="sm",
                        ),
                    ],
                    id=ids.COPY_EXACT_WRAP,
                    hidden=True,
                    className="copy-exact",
                ),
            ]
        ),
        id=ids.COPY_POPOVER,
        target=ids.COPY_LINK,
        trigger="legacy",
        placement="bottom-end",
        className="copy-popover",
    )


def _tool_button(
    icon: html.Span, label: str, id_: str, title: str, more_class: str = ""
) -> html.Button:
    """A button of the top bar: its icon on a phone, its label on a wider screen."""
    return html.Button(
        [icon, html.Span(label, className="d-none d-md-inline")],
        id=id_,
        type="button",
        className="btn btn-light btn-sm" + more_class,
        title=title,
        **{"aria-label": label},
    )


def _topbar(account, demo: bool) -> dbc.Navbar:
    # On a phone the bar keeps Filters, Refresh, Copy link and a menu button; the menu holds
    # the rest (last update, auto-refresh, demo badge, account, sign out): the same elements,
    # laid out by CSS, so nothing exists twice.
    more = html.Div(
        [
            downloads.menu(),
            html.Span(id=ids.LAST_UPDATED, className="last-updated"),
            dbc.Select(
                id=ids.AUTO_REFRESH,
                value="off",
                size="sm",
                options=[{"label": v, "value": k} for k, v in AUTO_REFRESH_CHOICES.items()],
                className="auto-refresh",
            ),
            *_user_menu(account, demo),
        ],
        id=ids.TOPBAR_MORE,
        className="topbar-more",
    )
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
                        _tool_button(
                            html.Span("⟳", className="d-md-none", **{"aria-hidden": "true"}),
                            "Refresh",
                            ids.REFRESH,
                            "Reload the figures from the database",
                        ),
                        saved_views_menu(),
                        _tool_button(
                            html.Span(className="copy-icon", **{"aria-hidden": "true"}),
                            "Copy link",
                            ids.COPY_LINK,
                            "Copy a link to this view",
                            " copy-link",
                        ),
                        _share_popover(),
                        html.Button(
                            "☰",
                            id=ids.TOPBAR_MENU,
                            type="button",
                            className="btn btn-light btn-sm topbar-menu d-lg-none",
                            title="Menu: account, sign out, auto-refresh",
                            **{
                                "aria-controls": ids.TOPBAR_MORE,
                                "aria-expanded": "false",
                                "aria-label": "Menu",
                            },
                        ),
                        more,
                    ],
                    className="topbar-tools",
                ),
            ],
            fluid=True,
            className="flex-nowrap",
        ),
        color="white",
        className="topbar border-bottom",
    )


NavGroups = Sequence[tuple[str, Sequence[Section]]]


def _nav(groups: NavGroups) -> dbc.Nav:
    items = []
    for title, sections in groups:
        if not sections:
            continue
        if title:
            items.append(html.Div(title, className="nav-group"))
        items += [
            dbc.NavLink(s.label, id=ids.nav_link(s.key), href=s.path, active="exact")
            for s in sections
        ]
    return dbc.Nav(items, vertical="lg", pills=True, className="section-nav", id=ids.NAV)


def layout(groups: NavGroups, account=None, demo: bool = False) -> html.Div:
    """The whole page for one user; sections render into PAGE by URL path.

    `groups` are the sidebar's headed groups of sections. Sections the account may not see are
    not offered (the server refuses them anyway)."""
    visible = [
        (title, [s for s in sections if account is None or account.can(s.permission)])
        for title, sections in groups
    ]
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.VIEW),
            dcc.Store(id=ids.SHARE_URL),
            dcc.Store(id=ids.REFRESH_TOKEN, data=None),
            dcc.Store(id=ids.XFILTER_CLICK),
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
                    html.Aside(_nav(visible), className="sidebar"),
                    html.Main([_filter_panel(), html.Div(id=ids.PAGE)], className="main"),
                ],
                className="app-body",
            ),
        ],
        className="app-root",
    )


def _chart_click(relayed) -> tuple[dict | None, dict]:
    """(clickData, the chart's id) of a click relayed into XFILTER_CLICK; a forged body that
    is not one reads as no click."""
    if not isinstance(relayed, dict):
        return None, {}
    click, chart = relayed.get("click"), relayed.get("chart")
    return (click if isinstance(click, dict) else None), (chart if isinstance(chart, dict) else {})


def _clicked_value(click: dict | None) -> str | None:
    points = click.get("points") if click else None
    if not isinstance(points, list) or not points or not isinstance(points[0], dict):
        return None  # no click, or a forged body that is not one
    point = points[0]
    value = point.get("customdata")
    if isinstance(value, list):
        value = value[0]
    if value is None:
        value = point.get("label")
    return value


def _filter_value(dim: str, value) -> str | int | None:
    """A clicked value as the view's filter holds it (a customer id as an int), read by the
    same rules as the URL; None for what no filter takes (a forged body's number, control
    character or overlong name), so that such a click changes nothing rather than leaving a
    view every section refuses."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    try:
        values = Filters.from_params({dim: [str(value)]}).values(dim)
    except FilterError:
        return None
    return values[0] if values else None


def register_callbacks(app: Dash, engine: Engine, sections: dict[str, Section]) -> None:
    """Callbacks of the shell: view sync, chips, options, navigation, refresh."""
    register_saved_views(app, engine, sections)
    downloads.register_callbacks(app)
    # The header's controls: sync_view reads them and writes them back.
    header = [
        (ids.PRESET, "value"),
        (ids.DATES, "start_date"),
        (ids.DATES, "end_date"),
        *[(c, "value") for c in CONTROLS.values()],
        (ids.GRANULARITY, "value"),
    ]
    # The dropdowns whose options come from the data (status has fixed ones).
    searched = (ids.CATEGORY, ids.PRODUCT, ids.COUNTRY, ids.CUSTOMER)
    listed = [CONTROLS[name] for name in LISTED_CONTROLS]

    @app.callback(
        Output(ids.VIEW, "data"),
        *[Output(i, prop) for i, prop in header],
        Output(ids.URL, "search"),
        # Options travel with the values: the dropdown drops a value missing from its options.
        *[Output(i, "options") for i in searched],
        *[Output(i, "options") for i in listed],
        *[Output(ids.filter_field(name), "style") for name in LISTED_CONTROLS],
        Input(ids.URL, "search"),
        *[Input(i, prop) for i, prop in header],
        Input(ids.RESET, "n_clicks"),
        Input({"type": "filter-chip", "dim": ALL, "value": ALL}, "n_clicks"),
        Input(ids.XFILTER_CLICK, "data"),
        Input(ids.REFRESH_TOKEN, "data"),
        State(ids.VIEW, "data"),
    )
    def sync_view(search, preset, start, end, *rest):
        chosen, (gran, _reset, _chips, chart_click, _token, current) = (
            rest[: len(CONTROLS)],
            rest[len(CONTROLS) :],
        )
        trigger = ctx.triggered_id
        # Chips appearing (n_clicks 0) are not user actions: the URL stays the source of truth,
        # also when such a call overtakes the page-load call. (Charts appearing never call:
        # their clicks come through the XFILTER_CLICK store.)
        spurious = isinstance(trigger, dict) and not any(t["value"] for t in ctx.triggered)
        if spurious and current is not None and f"{ids.URL}.search" not in ctx.triggered_prop_ids:
            # The view is already set: answering again would make every section's callbacks
            # run a second time on each page load (they all listen to the view).
            raise PreventUpdate
        url_only = trigger == ids.URL and len(ctx.triggered) == 1
        if trigger is None or spurious or f"{ids.URL}.search" in ctx.triggered_prop_ids:
            view, _ = view_from_query(search)
        elif trigger == ids.RESET:
            # Filters, dates and granularity back to their defaults; the top-N settings are
            # not filters and stay.
            kept = view_from_query(search)[0]
            view = View(top_n=kept.top_n, top_by=kept.top_by)
        else:
            selected = dict(zip(CONTROLS, chosen, strict=True))
            view = view_from_controls(
                view_from_query(search)[0], preset, start, end, selected, gran
            )
            if trigger == ids.PRESET and preset == "custom" and not (start and end):
                view = replace(view, preset="all")
            elif trigger == ids.PRESET:
                view = replace(view, filters=view.filters.with_range(None, None), preset=preset)
            elif trigger == ids.DATES:
                view = replace(view, preset="custom")
            elif isinstance(trigger, dict) and trigger.get("type") == "filter-chip":
                value = trigger["value"]
                dim = trigger["dim"]
                view = _remove(view, dim, value)
            elif trigger == ids.XFILTER_CLICK:
                click, chart = _chart_click(chart_click)
                value, dim = _clicked_value(click), chart.get("dim")
                if dim not in ids.CLICK_DIMENSIONS.values():  # no chart of the page's
                    raise PreventUpdate
                if dim == "place":  # the geography drill: the click names its dimension
                    dim, value = clicked_place(click) or (None, None)
                value = None if value is None else _filter_value(dim, value)
                if value is None:
                    raise PreventUpdate
                view = replace(view, filters=view.filters.toggled(dim, value))
        last_day, options, stored = _header_sources(engine, view.filters)
        f = view.resolved(last_day).filters
        data = {"filters": f.to_query(), "granularity": view.granularity, "preset": view.preset}
        if url_only and data == current:
            # Only a setting outside the view changed in the URL (the Overview's top N):
            # the sections' figures stay as they are.
            raise PreventUpdate
        # A selected value stays an option (the dropdown would drop it otherwise), and a field
        # shows when the data or the view has values for it.
        listed_options = [
            _options(
                list(
                    dict.fromkeys(
                        [*f.values(name), *_takeable(name, _within(engine, name, f, stored))]
                    )
                )
            )
            for name in LISTED_CONTROLS
        ]
        styles = [None if options else {"display": "none"} for options in listed_options]
        query = view.to_query()
        new_search = f"?{query}" if query else ""
        return (
            data,
            view.preset,
            f.start.isoformat() if f.start else None,
            f.end.isoformat() if f.end else None,
            *[list(f.values(dim)) for dim in CONTROLS],
            view.granularity,
            new_search if new_search != (search or "") else no_update,
            *options,
            *listed_options,
            *styles,
        )

    # A chart's click reaches sync_view through a store, not as a pattern-matching input of
    # sync_view itself: the cross-filter charts mounting would call sync_view a second time on
    # every page load, and the sections' callbacks would wait for that call (issue 17).
    app.clientside_callback(
        """function(clicks) {
            const t = window.dash_clientside.callback_context.triggered || [];
            const hit = t.find(x => x.value);
            if (!hit) { return window.dash_clientside.no_update; }
            const chart = JSON.parse(hit.prop_id.slice(0, hit.prop_id.lastIndexOf('.')));
            return {chart: chart, click: hit.value, at: Date.now()};
        }""",
        Output(ids.XFILTER_CLICK, "data"),
        Input({"type": "xfilter", "name": ALL, "dim": ALL}, "clickData"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.CHIPS, "children"),
        Output(ids.FILTERS_MORE, "children"),
        Input(ids.VIEW, "data"),
        Input(ids.URL, "pathname"),
    )
    def render_chips(view_data, pathname):
        f = filters_of(view_data)
        section = sections.get(pathname or "/")
        applied = section.filters if section else FILTER_FIELDS
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
            # A link-only dimension (channel) applies wherever any filter does.
            here = dim in applied if dim in FILTER_FIELDS else bool(applied)
            name = dimension_label(dim)
            for v in f.values(dim):
                text = f"{name[:1].upper()}{name[1:]}: {label(v)}"
                chips.append(
                    html.Button(
                        [
                            html.Span(text if here else f"{text} (not used on this page)"),
                            html.Span("×", className="chip-x", **{"aria-hidden": "true"}),
                        ],
                        id=ids.chip(dim, v),
                        className="filter-chip" if here else "filter-chip unused",
                        n_clicks=0,
                        title=f"Remove this filter ({name} {label(v)})",
                    )
                )
        folded = sum(len(f.values(dim)) for dim in MORE_FIELDS)
        more = f"More filters · {folded}" if folded else "More filters"
        if not chips:
            return html.Span("No filters: showing every order.", className="text-muted small"), more
        return chips, more

    @app.callback(
        Output(ids.FILTER_SCOPE, "className"),
        Output(ids.FILTER_NOTE, "children"),
        Output(ids.FILTERS_TOGGLE, "className"),
        Input(ids.URL, "pathname"),
    )
    def filter_scope(pathname):
        section = sections.get(pathname or "/")
        fields = section.filters if section else ()
        note = section.filters_note if section else ""
        return scope_class(fields), note, "d-lg-none" if fields else "d-none"

    @app.callback(
        Output(ids.TOP_N, "value"),
        Output(ids.TOP_BY, "value"),
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.TOP_N, "value"),
        Input(ids.TOP_BY, "value"),
        # A State: the URL changes on every page, and these controls are on the Overview only.
        State(ids.URL, "search"),
        prevent_initial_call="initial_duplicate",
    )
    def top_in_url(top_n, top_by, search):
        """The Overview's top-N count and ranking live in the URL beside the filters: opening
        the Overview restores them from it, and moving them updates it (not the view: no other
        chart moves)."""
        # A user moves one control at a time; both "changing" at once is the Overview being
        # drawn, with the layout's defaults: then the URL decides.
        if len(ctx.triggered) == 1 and ctx.triggered_id in (ids.TOP_N, ids.TOP_BY):
            new_search = with_top(search, top_n, top_by)
            return no_update, no_update, new_search if new_search != (search or "") else no_update
        view, _ = view_from_query(search)
        return (
            view.top_n if view.top_n != top_n else no_update,
            view.top_by if view.top_by != top_by else no_update,
            no_update,
        )

    @app.callback(
        Output(ids.SHARE_URL, "data"),
        Output(ids.COPY_EXACT_WRAP, "hidden"),
        Output(ids.COPY_EXACT_NOTE, "children"),
        Input(ids.VIEW, "data"),
        Input(ids.URL, "search"),
    )
    def share_links(view_data, search):
        """The exact-dates link for a range that follows the data, from the dates shown now."""
        if not view_data:
            raise PreventUpdate
        view = replace(
            view_from_query(search)[0],
            preset=view_data.get("preset") or "all",
            granularity=granularity_of(view_data),
        )
        if not view.relative:
            return None, True, None
        f = view_filters(view_data)
        if not (f.start and f.end):
            return None, True, None
        exact = replace(view, filters=f, preset="custom")
        note = (
            f"This link shows “{PRESETS[view.preset]}” counted back from the latest order, so "
            f"its dates move as orders come in. Now: {date_text(f.start)} – {date_text(f.end)}."
        )
        return f"?{exact.to_query()}", False, note

    _register_search(app, engine, ids.PRODUCT, dimensions.product_labels, dimensions.find_products)
    _register_search(
        app, engine, ids.CUSTOMER, dimensions.customer_labels, dimensions.find_customers
    )

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

    # Copying needs the browser's clipboard: assets/20-shell.js.
    app.clientside_callback(
        ClientsideFunction("salesPulse", "copyLink"),
        Output(ids.COPY_STATUS, "children"),
        Output(ids.COPY_URL, "value"),
        Input(ids.COPY_LINK, "n_clicks"),
        Input(ids.COPY_EXACT, "n_clicks"),
        State(ids.SHARE_URL, "data"),
        prevent_initial_call=True,
    )
    # "More filters" and the phone's menu button unfold and fold their part (its class), and
    # say which it is now.
    for folded, button in FOLDING:
        app.clientside_callback(
            ClientsideFunction("salesPulse", "toggleClass"),
            Output(folded, "className"),
            Output(button, "aria-expanded"),
            Input(button, "n_clicks"),
            State(folded, "className"),
            prevent_initial_call=True,
        )
    app.clientside_callback(
        ClientsideFunction("salesPulse", "showActiveSection"),
        Output(ids.NAV, "className"),
        Input(ids.URL, "pathname"),
        State(ids.NAV, "className"),
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


def _register_search(
    app: Dash, engine: Engine, control: str, labels: Callable, find: Callable
) -> None:
    """A searchable filter dropdown (products, customers): the values chosen, then the first
    SEARCH_LIMIT found for the text typed."""

    @app.callback(
        Output(control, "options", allow_duplicate=True),
        Input(control, "search_value"),
        State(control, "value"),
        prevent_initial_call=True,
    )
    def search_options(search, selected):
        if not search:  # picking an option clears the search: keep the options it came from
            raise PreventUpdate
        with engine.connect() as conn:
            chosen = labels(conn, selected or [])
            found = find(conn, search or "", SEARCH_LIMIT)
        return _merge_options(chosen, found)


def _remove(view: View, dim: str, value: str) -> View:
    current = view.filters.values(dim)
    match = next((v for v in current if str(v) == value), None)
    if match is None:
        raise PreventUpdate
    return replace(view, filters=view.filters.without(dim, match))


def _takeable(dimension: str, values: list[str]) -> list[str]:
    """The values a filter takes (a stored name with markup in it is shown, never offered)."""
    return [v for v in values if refusal(dimension, v) is None]


# The geography drill's levels (ui/geography.py): what its clicks may filter by.
PLACE_LEVELS = ("region", "state", "city")


def clicked_place(click: dict | None) -> tuple[str, str] | None:
    """(filter dimension, place) of a click on the geography drill's bars or map (customdata
    [place, dimension]), or None for what the drill never draws: a forged body, another
    dimension, a place the filters would refuse."""
    points = click.get("points") if isinstance(click, dict) else None
    if not isinstance(points, list) or not points or not isinstance(points[0], dict):
        return None
    data = points[0].get("customdata")
    if not isinstance(data, list) or len(data) < 2:
        return None
    place, level = data[0], data[1]
    if level not in PLACE_LEVELS or not isinstance(place, str) or not place.strip():
        return None
    if refusal(level, place) is not None:
        return None
    return level, place


def _header_sources(engine: Engine, f: Filters) -> tuple:
    """(the data's last day, the options of the category, product, country and customer
    dropdowns, the LISTED dropdowns' stored values) for a view selecting `f`'s products and
    customers: from the answer cache while the data version stands, so the view sync of a
    page load or a filter change asks the database nothing (issue 17)."""
    chosen = Filters(products=f.products, customers=f.customers)

    def compute() -> tuple:
        with engine.connect() as conn:
            _, last_day = data_bounds(conn)
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
            return last_day, options, listed_values(engine, conn)

    return cached(engine, "shell.header_sources", chosen, compute)


def listed_values(engine: Engine, conn) -> dict[str, list[str]]:
    """{dimension: its stored values} of the LISTED dropdowns, from the answer cache while the
    data version stands (each is a DISTINCT over a column no index leads with)."""

    def compute() -> dict[str, list[str]]:
        return {name: dimensions.listed_values(conn, name) for name in LISTED_CONTROLS}

    return cached(engine, "shell.listed_values", Filters(), compute)


def _within(engine: Engine, name: str, f: Filters, stored: dict) -> list[str]:
    """The stored values of a LISTED dropdown, the states inside the chosen regions and the
    cities inside the chosen regions and states (geography.narrowed; cached per data version)."""
    if name not in ("state", "city") or not (f.regions or (name == "city" and f.states)):
        return stored[name]

    def compute():
        with engine.connect() as conn:
            return geography.places(conn)

    return geography.narrowed(
        cached(engine, "shell.places", Filters(), compute), name, f.regions, f.states
    )


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
