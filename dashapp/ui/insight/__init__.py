"""Customers insight section (SPEC §4.4): RFM heatmap, segments, member lists, cohorts.

The RFM scores are computed once per view (ScoresCache) and shared by the figures, the member
list and the CSV export; the browser only holds what was clicked (ids.SELECTION).
"""

from __future__ import annotations

import re

import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Dash, Input, Output, Patch, State, ctx, dcc, html
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp.analytics import dimensions, trends
from dashapp.analytics.kpis import cents_to_decimal
from dashapp.analytics.periods import count_periods
from dashapp.reports.tables import members_workbook
from dashapp.segments import (
    PRIORITIES,
    SEGMENTS,
    members_csv,
    rf_heatmap,
    rfm_period_end,
    segment_highlights,
    segment_members,
    segment_summary,
)
from dashapp.segments.cohorts import cohort_retention, new_vs_returning
from dashapp.segments.highlights import SegmentHighlights
from dashapp.ui import ids
from dashapp.ui.cards import chart_card, graph, stat_card
from dashapp.ui.insight import figures as insight_figures
from dashapp.ui.parts import filled_grid, secondary_button
from dashapp.ui.score_cache import ScoresCache
from dashapp.ui.shell import Section, filters_of, granularity_of
from dashapp.ui.text import date_text, describe, money_text
from dashapp.ui.theme import segment_colours
from dashapp.ui.triggers import on_click, on_refresh
from dashapp.web.answers import cached

VIEW_INPUT = [Input(ids.VIEW, "data")]  # each read runs again on the refresh token too
# The grid shows the biggest customers of a selection; the CSV always holds all of them.
GRID_ROWS = 500
COHORT_MONTHS = 12
PICK_HINT = "Click a heatmap cell, a tile or a segment name to list its customers."
NO_CUSTOMERS = (
    "No customers with orders in this range. Widen the dates, remove a filter, "
    "or import data (python -m dashapp import FILE)."
)
Selection = tuple[str | None, int | None, int | None]

_MONEY = {"function": "d3.format('$,.2f')(params.value)"}
_INT = {"function": "d3.format(',')(params.value)"}
MEMBER_COLUMNS = [
    {"field": "name", "headerName": "Customer", "minWidth": 150, "flex": 2},
    {"field": "segment", "headerName": "Segment", "minWidth": 120, "flex": 1},
    {"field": "r", "headerName": "R", "width": 56, "headerTooltip": "Recency score (5 = best)"},
    {"field": "f", "headerName": "F", "width": 56, "headerTooltip": "Frequency score"},
    {"field": "m", "headerName": "M", "width": 56, "headerTooltip": "Monetary score"},
    {
        "field": "recency_days",
        "headerName": "Recency",
        "width": 100,
        "headerTooltip": "Days since the last order",
        "valueFormatter": {"function": "d3.format(',')(params.value) + ' d'"},
    },
    {"field": "frequency", "headerName": "Orders", "width": 90, "valueFormatter": _INT},
    {"field": "monetary", "headerName": "Revenue", "width": 130, "valueFormatter": _MONEY},
    {"field": "country", "headerName": "Country", "minWidth": 100, "flex": 1},
    {"field": "email", "headerName": "Email", "minWidth": 170, "flex": 1},
]


def layout() -> html.Div:
    members_tools = html.Div(
        [
            secondary_button("Clear selection", ids.MEMBERS_CLEAR, size="sm", className="d-none"),
            dbc.Button("Export CSV", id=ids.MEMBERS_EXPORT, color="primary", size="sm"),
            dbc.Button(
                "Export XLSX", id=ids.MEMBERS_XLSX, color="primary", outline=True, size="sm"
            ),
            dcc.Download(id=ids.MEMBERS_DOWNLOAD),
            dcc.Download(id=ids.MEMBERS_XLSX_DOWNLOAD),
        ],
        className="d-flex gap-2",
    )
    grid = filled_grid(
        ids.MEMBERS,
        MEMBER_COLUMNS,
        "params.data.customer_id",
        {"sortable": True, "resizable": True, "editable": False},
        {"suppressCellFocus": False, "tooltipShowDelay": 300},
        empty="No customers here: pick another cell or segment.",
        style={"height": "380px", "width": "100%"},
        className="members-grid",
    )
    return html.Div(
        [
            dcc.Store(id=ids.SELECTION, data=None),
            dcc.Loading(
                html.Div(id=ids.INSIGHT_KPIS, className="kpi-row insight-kpis"),
                type="dot",
                delay_show=150,
            ),
            dbc.Row(
                [
                    dbc.Col(
                        chart_card(
                            "Recency × frequency",
                            ids.RF_CAPTION,
                            graph(ids.RF_HEATMAP, 360),
                        ),
                        lg=7,
                    ),
                    dbc.Col(
                        chart_card(
                            "Segment share",
                            ids.SEGMENT_SHARE_CAPTION,
                            graph(ids.SEGMENT_SHARE, 360),
                        ),
                        lg=5,
                    ),
                ],
                className="g-3",
            ),
            dbc.Row(
                dbc.Col(
                    chart_card(
                        "Segments and what to do",
                        ids.SEGMENT_TABLE_CAPTION,
                        dcc.Loading(
                            html.Div(id=ids.SEGMENT_TABLE, className="segment-table-wrap"),
                            type="circle",
                            delay_show=150,
                        ),
                    )
                ),
                className="g-3",
            ),
            dbc.Row(
                dbc.Col(
                    chart_card(
                        "Customers",
                        ids.MEMBERS_TITLE,
                        html.Div(id=ids.MEMBERS_NOTE, className="members-note"),
                        dcc.Loading(grid, type="circle", delay_show=150),
                        tools=members_tools,
                    )
                ),
                className="g-3",
            ),
            dbc.Row(
                dbc.Col(
                    chart_card(
                        "New vs returning customers",
                        ids.NEW_RETURNING_CAPTION,
                        graph(ids.NEW_RETURNING, 300),
                    )
                ),
                className="g-3",
            ),
            dbc.Row(
                dbc.Col(
                    chart_card("Cohort retention", ids.COHORTS_CAPTION, graph(ids.COHORTS, 320))
                ),
                className="g-3",
            ),
        ],
        className="section-stack insight",
    )


SECTION = Section(
    key="insight", label="Customer insight", path="/insight", layout=layout, permission="view"
)


def _money(cents: int) -> str:
    return money_text(cents_to_decimal(int(cents)))


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"


def _kpi_cards(h: SegmentHighlights) -> list[dbc.Card]:
    recency = (
        f"median {h.median_recency_days:,} days since the last order"
        if h.median_recency_days is not None
        else ""
    )
    return [
        stat_card("customers", "Customers scored", f"{h.customers:,}", recency),
        stat_card(
            "champions",
            "Champions",
            f"{h.champions:,}",
            f"{_share(h.champions, h.customers)} of customers · "
            f"{_share(h.champions_revenue_cents, h.revenue_cents)} of revenue",
        ),
        stat_card(
            "at-risk",
            "Revenue at risk",
            _money(h.at_risk_revenue_cents),
            f"{h.at_risk:,} good customers gone quiet (At Risk, Can't Lose Them)",
        ),
        stat_card(
            "repeat",
            "Repeat customers",
            _share(h.repeat_customers, h.customers),
            # Not the Overview's "had ordered before": that counts orders before the range.
            f"{h.repeat_customers:,} placed 2+ orders in this range",
        ),
    ]


def _segment_table(summary: pd.DataFrame, colours: dict[str, str]) -> dbc.Table:
    """Segments grouped by priority (High first); a segment name lists its customers."""
    head = html.Thead(
        html.Tr(
            [
                html.Th("Segment"),
                html.Th("Customers", className="num"),
                html.Th("Share", className="num"),
                html.Th("Revenue", className="num"),
                html.Th("AOV", className="num", title="Average order value"),
                html.Th("Recommended action", className="action-column"),
            ]
        )
    )
    rows = []
    for priority in PRIORITIES:
        part = summary[summary["priority"] == priority]
        if part.empty:
            continue
        rows.append(
            html.Tr(
                html.Th(
                    [
                        html.Span(
                            priority, className=f"priority-badge priority-{priority.lower()}"
                        ),
                        " priority",
                    ],
                    colSpan=6,
                ),
                className="priority-row",
            )
        )
        for row in part.itertuples(index=False):
            empty = row.customers == 0
            name = html.Button(
                [
                    html.Span(
                        className="segment-swatch", style={"background": colours[row.segment]}
                    ),
                    row.segment,
                ],
                id=ids.segment_button(row.segment),
                n_clicks=0,
                className="segment-link",
                title=f"List the customers of {row.segment}",
            )
            rows.append(
                html.Tr(
                    [
                        # On phones the action reads under the name instead of off-screen.
                        html.Td([name, html.Div(row.action, className="action-inline")]),
                        html.Td(f"{row.customers:,}", className="num"),
                        html.Td(f"{row.share:.1%}", className="num"),
                        html.Td(_money(row.revenue_cents), className="num"),
                        html.Td("–" if empty else _money(row.aov_cents), className="num"),
                        html.Td(row.action, className="action action-column"),
                    ],
                    className="segment-empty" if empty else None,
                )
            )
    return dbc.Table(
        [head, html.Tbody(rows)],
        hover=True,
        size="sm",
        responsive=True,
        className="segment-table mb-0",
    )


def _selection_of(data: dict | None) -> Selection | None:
    """The stored selection as (segment, r, f); anything malformed counts as no selection."""
    if not isinstance(data, dict):
        return None
    segment, r, f = data.get("segment"), data.get("r"), data.get("f")
    if segment is not None and segment not in SEGMENTS:
        return None
    if (r is None) != (f is None):
        return None
    if r is not None and not (type(r) is int and type(f) is int and 1 <= r <= 5 and 1 <= f <= 5):
        return None
    if segment is None and r is None:
        return None
    return segment, r, f


def _selection_label(selection: Selection, members: pd.DataFrame) -> str:
    segment, r, f = selection
    count = f"{len(members):,} customer{'s' if len(members) != 1 else ''}"
    if r is not None:
        where = f"R {r} × F {f}"
        cell_segment = segment or (members["segment"].iloc[0] if len(members) else None)
        return f"Cell: {where} · {cell_segment} · {count}" if cell_segment else f"Cell: {where}"
    return f"Segment: {segment} · {count}"


def _file_name(selection: Selection | None) -> str:
    if selection is None:
        return "customers-all.csv"
    segment, r, f = selection
    if r is not None:
        return f"customers-r{r}-f{f}.csv"
    return "customers-" + re.sub(r"[^a-z]+", "-", segment.lower()).strip("-") + ".csv"


def _grid_rows(members: pd.DataFrame) -> list[dict]:
    shown = members.head(GRID_ROWS)
    return [
        {
            "customer_id": str(row.customer_id),  # ag-grid row ids are strings
            "name": row.name,
            "segment": row.segment,
            "r": int(row.r),
            "f": int(row.f),
            "m": int(row.m),
            "recency_days": int(row.recency_days),
            "frequency": int(row.frequency),
            "monetary": float(cents_to_decimal(row.monetary_cents)),
            "country": None if pd.isna(row.country) else row.country,
            "email": None if pd.isna(row.email) else row.email,
        }
        for row in shown.itertuples(index=False)
    ]


def register_callbacks(app: Dash, engine: Engine) -> None:
    """The insight callbacks; the heavy RFM query runs once per view, in `cache`."""
    cache = ScoresCache(engine)
    colours = segment_colours()

    @on_refresh(
        app,
        None,
        [
            Output(ids.INSIGHT_KPIS, "children"),
            Output(ids.RF_HEATMAP, "figure"),
            Output(ids.RF_CAPTION, "children"),
            Output(ids.SEGMENT_SHARE, "figure"),
            Output(ids.SEGMENT_SHARE_CAPTION, "children"),
            Output(ids.SEGMENT_TABLE, "children"),
            Output(ids.SEGMENT_TABLE_CAPTION, "children"),
        ],
        VIEW_INPUT,
        [State(ids.SELECTION, "data")],
    )
    def update_segments(view, _token, selection_data):
        f = filters_of(view)
        scores = cache.scores(f)
        with engine.connect() as conn:
            end = rfm_period_end(conn, f)
            names = dimensions.customer_labels(conn, f.customers)
        scope = describe(f, names)
        summary = segment_summary(scores)
        selection = _selection_of(selection_data)
        cell = (selection[1], selection[2]) if selection and selection[1] is not None else None
        heatmap = insight_figures.rf_heatmap_figure(rf_heatmap(scores), cell)
        treemap = insight_figures.segment_treemap(summary, colours)
        if scores.empty:
            kpis = dbc.Alert(NO_CUSTOMERS, color="light", className="empty-state mb-0")
            table = dbc.Alert(NO_CUSTOMERS, color="light", className="empty-state mb-0")
        else:
            kpis = _kpi_cards(segment_highlights(scores))
            table = _segment_table(summary, colours)
        used = int((summary["customers"] > 0).sum())
        return (
            kpis,
            heatmap,
            f"Average revenue per customer (number of customers below) · recency counted to "
            f"{date_text(end)} · {scope} · click a cell to list its customers",
            treemap,
            f"{len(scores):,} customers in {used} segments · {scope} · click a tile to list them",
            table,
            f"Grouped by how urgently to act · revenue and AOV from the orders in range · {scope}",
        )

    @app.callback(
        Output(ids.SELECTION, "data"),
        Input(ids.RF_HEATMAP, "clickData"),
        Input(ids.SEGMENT_SHARE, "clickData"),
        Input(ids.segment_button(ALL), "n_clicks"),
        Input(ids.MEMBERS_CLEAR, "n_clicks"),
        prevent_initial_call=True,
    )
    def select(heat_click, share_click, _segment_clicks, _clear):
        trigger = ctx.triggered_id
        if trigger == ids.MEMBERS_CLEAR:
            return None
        if trigger == ids.RF_HEATMAP and heat_click and heat_click.get("points"):
            point = heat_click["points"][0]
            return {"r": int(point["y"]), "f": int(point["x"])}
        if trigger == ids.SEGMENT_SHARE and share_click and share_click.get("points"):
            # customdata[0] is the raw name; the tile's label is escaped for Plotly.
            custom = share_click["points"][0].get("customdata")
            segment = custom[0] if isinstance(custom, list) and custom else None
            if segment in SEGMENTS:
                return {"segment": segment}
        # Table rows re-rendering (n_clicks 0) are not clicks.
        if isinstance(trigger, dict) and any(t["value"] for t in ctx.triggered):
            return {"segment": trigger["segment"]}
        raise PreventUpdate

    @app.callback(
        Output(ids.RF_HEATMAP, "figure", allow_duplicate=True),
        Input(ids.SELECTION, "data"),
        State(ids.RF_HEATMAP, "figure"),
        prevent_initial_call=True,
    )
    def outline_selected_cell(selection_data, figure):
        # Also called when the section is first drawn, before the heatmap has a figure, and
        # an empty-state figure has no cells to outline.
        if not figure or not figure.get("data"):
            raise PreventUpdate
        selection = _selection_of(selection_data)
        cell = (selection[1], selection[2]) if selection and selection[1] is not None else None
        patch = Patch()
        patch["layout"]["shapes"] = insight_figures.selected_cell_shapes(cell)
        return patch

    @on_refresh(
        app,
        None,
        [
            Output(ids.MEMBERS, "rowData"),
            Output(ids.MEMBERS_TITLE, "children"),
            Output(ids.MEMBERS_NOTE, "children"),
            Output(ids.MEMBERS_CLEAR, "className"),
            Output(ids.MEMBERS_EXPORT, "disabled"),
            Output(ids.MEMBERS_XLSX, "disabled"),
        ],
        [*VIEW_INPUT, Input(ids.SELECTION, "data")],
    )
    def update_members(view, selection_data, _token):
        scores = cache.scores(filters_of(view))
        selection = _selection_of(selection_data)
        members = segment_members(scores, *selection) if selection else scores
        if selection:
            title = _selection_label(selection, members)
        elif scores.empty:
            title = "No customers in this range"
        else:
            title = f"All scored customers · {len(scores):,}, biggest first"
        note = PICK_HINT if selection is None else ""
        if len(members) > GRID_ROWS:
            note = (
                f"Showing the {GRID_ROWS:,} with the most revenue; "
                f"the CSV export has all {len(members):,}. " + note
            )
        clear_class = "" if selection else "d-none"
        empty = members.empty
        return _grid_rows(members), title, note.strip(), clear_class, empty, empty

    # What an export writes: the view's scored customers, and the cell or segment picked.
    chosen = [State(ids.VIEW, "data"), State(ids.SELECTION, "data")]

    @on_click(app, None, ids.MEMBERS_EXPORT, [Output(ids.MEMBERS_DOWNLOAD, "data")], chosen)
    def export_members(_clicks, view, selection_data):
        scores = cache.scores(filters_of(view))
        selection = _selection_of(selection_data)
        text = members_csv(scores, *selection) if selection else members_csv(scores)
        return dcc.send_string(text, _file_name(selection), type="text/csv")

    @on_click(app, None, ids.MEMBERS_XLSX, [Output(ids.MEMBERS_XLSX_DOWNLOAD, "data")], chosen)
    def export_members_xlsx(_clicks, view, selection_data):
        """The CSV's customers as a workbook, monetary value as currency cells."""
        f = filters_of(view)
        scores = cache.scores(f)
        selection = _selection_of(selection_data)
        with engine.connect() as conn:
            shown = describe(f, dimensions.customer_labels(conn, f.customers))
        members = segment_members(scores, *selection) if selection else scores
        chosen = _selection_label(selection, members) if selection else "All scored customers"
        about = [("Customers", chosen), ("Filters", shown)]
        name = _file_name(selection).removesuffix(".csv") + ".xlsx"
        picked = selection or ()
        return dcc.send_bytes(lambda out: members_workbook(out, scores, picked, about), name)

    @on_refresh(
        app,
        None,
        [Output(ids.NEW_RETURNING, "figure"), Output(ids.NEW_RETURNING_CAPTION, "children")],
        VIEW_INPUT,
    )
    def update_new_returning(view, _token):
        f, gran = filters_of(view), granularity_of(view)

        def read():
            with engine.connect() as conn:
                return trends.series_of(
                    conn, f, gran, None, lambda g, used: new_vs_returning(conn, g, used)
                )

        series = cached(engine, "insight_new_returning", f, read, gran)
        with engine.connect() as conn:
            names = dimensions.customer_labels(conn, f.customers)
        used = series.granularity
        chosen = ""
        if used != gran:
            n = count_periods(series.filters.start, series.filters.end, gran)
            chosen = f" ({gran} would give only {n} point{'s' if n != 1 else ''})"
        partial = ", hatched: incomplete " + used if series.notes() else ""
        caption = (
            f"Customers ordering per {used}{chosen}; new = first-ever order in that {used}"
            f"{partial} · {describe(series.filters, names)}"
        )
        return insight_figures.new_returning_bars(series.frame, used, series.notes()), caption

    @on_refresh(
        app,
        None,
        [
            Output(ids.COHORTS, "figure"),
            Output(ids.COHORTS, "style"),
            Output(ids.COHORTS_CAPTION, "children"),
        ],
        VIEW_INPUT,
    )
    def update_cohorts(view, _token):
        f = filters_of(view)

        def read():
            with engine.connect() as conn:
                return cohort_retention(conn, f, COHORT_MONTHS)

        # Seconds at 1M orders (a row per customer and month): shared by every worker.
        df = cached(engine, "cohort_retention", f, read, COHORT_MONTHS)
        with engine.connect() as conn:
            names = dimensions.customer_labels(conn, f.customers)
        caption = (
            f"Share of each first-order month's customers ordering again 1-{COHORT_MONTHS} "
            f"months later · {describe(f, names)}"
        )
        # The card grows with the number of cohorts, so rows never squeeze below reading size.
        cohorts = df["cohort"].nunique()
        style = {"height": f"{insight_figures.cohort_height(cohorts) if cohorts else 320}px"}
        return insight_figures.cohort_heatmap(df), style, caption
