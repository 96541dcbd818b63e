"""The Overview's drill below the country (issue 19 item 2): inside one country, bars of its
regions, states or cities (analytics.geography.place_drill), and a state map when the
country is the United States and the states are its two-letter codes or names.

Plotly draws states from its own shapes for the United States only (choropleth locationmode
"USA-states"; the others, "ISO-3" and "country names", are whole countries), so any other
country's states are bars, and the drill says so (`map_note`) rather than leave the user
looking for a map.

A click on a bar or a state filters the page by that place: the figures' customdata is
[the raw place, its filter dimension], which the shell's view sync reads (xfilter dim "place",
shell.clicked_place).
"""

from __future__ import annotations

from dash import Dash, Input, Output, html, no_update

from dashapp.analytics.geography import PlaceDrill, place_drill
from dashapp.catalog.countries import iso3
from dashapp.ui import figures, ids
from dashapp.ui.cards import graph
from dashapp.ui.shell import filters_of
from dashapp.ui.text import plot_text
from dashapp.ui.theme import GRID, PRIMARY, SEQUENTIAL
from dashapp.web.answers import cached

LEVEL_NAMES = {"region": "region", "state": "state / province", "city": "city"}
# The United States' states and DC by name, for the map's two-letter codes ("USA-states").
US_STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC",
    "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL",
    "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
    "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN",
    "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY",
    "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR",
    "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD",
    "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA",
    "Washington": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}  # fmt: skip
US_CODES = frozenset(US_STATES.values())


def us_state_code(place: str) -> str | None:
    """The two-letter code of a US state written as its code ("NY", "ny") or name."""
    text = str(place).strip()
    if text.upper() in US_CODES:
        return text.upper()
    by_name = {name.lower(): code for name, code in US_STATES.items()}
    return by_name.get(text.lower())


def place_bar(drill: PlaceDrill) -> figures.Figure:
    """Revenue per place, best at the top; a click filters by the place (customdata)."""
    df = drill.places.iloc[::-1]
    values = [figures.money(v) for v in df["revenue_cents"]]
    bar = dict(
        type="bar",
        x=values,
        y=[plot_text(p) for p in df["place"]],
        customdata=[[p, drill.level] for p in df["place"]],
        text=[f"{n:,} order{'s' if n != 1 else ''}" for n in df["orders"]],
        orientation="h",
        marker=dict(color=PRIMARY),
        hovertemplate="%{y}<br>$%{x:,.2f} · %{text}<extra></extra>",
        textposition="none",
    )
    layout = dict(
        xaxis=figures.compact_axis(values, "$"),
        yaxis=dict(showgrid=False, type="category", automargin=True),
        bargap=0.25,
        height=max(260, 28 * len(df) + 60),
        margin=dict(l=8, r=8, t=8, b=8),
    )
    return figures.figure([bar], layout)


def state_map(drill: PlaceDrill) -> figures.Figure | None:
    """A choropleth of the US states of the drill, or None when the country is not the United
    States, the level is not states, or a state is neither a code nor a name."""
    if drill.level != "state" or iso3(drill.country) != "USA":
        return None
    codes = [us_state_code(p) for p in drill.places["place"]]
    if not codes or None in codes:
        return None
    places = list(drill.places["place"])
    trace = dict(
        type="choropleth",
        locationmode="USA-states",
        locations=codes,
        z=[figures.money(v) for v in drill.places["revenue_cents"]],
        customdata=[[p, "state", plot_text(p)] for p in places],
        colorscale=[[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)],
        marker=dict(line=dict(color="white", width=0.5)),
        colorbar=dict(thickness=10, len=0.8, tickprefix="$", tickformat="~s"),
        hovertemplate="%{customdata[2]}<br>$%{z:,.2f}<extra></extra>",
    )
    geo = dict(
        scope="usa",
        showlakes=False,
        bgcolor="rgba(0,0,0,0)",
        landcolor="#f8fafc",
        subunitcolor=GRID,
        countrycolor=GRID,
    )
    layout = dict(geo=geo, margin=dict(l=0, r=0, t=0, b=0), height=320)
    return figures.figure([trace], layout)


def map_note(drill: PlaceDrill) -> str:
    """Why states are shown as bars without a map (empty where a map is drawn, or where the
    level is regions or cities, which no built-in map has)."""
    if drill.level != "state" or state_map(drill) is not None:
        return ""
    if iso3(drill.country) != "USA":
        return (
            f"No state map for {drill.country}: the built-in maps have state shapes for the "
            "United States only, so its states are shown as bars."
        )
    return (
        "No state map: some states are neither a US state code nor a name, so the states "
        "are shown as bars."
    )


PLACE_NOTE = "place-map-note"


def place_row() -> html.Div:
    """The drill's title, map and bars, under the country map (hidden until a country is
    chosen whose orders have places below it)."""
    return html.Div(
        [
            html.H3(id=ids.PLACE_TITLE, className="subhead"),
            html.P(id=PLACE_NOTE, className="small text-muted mb-1", hidden=True),
            html.Div(
                [
                    html.Div(graph(ids.xfilter(ids.PLACE_MAP), 340), id=ids.PLACE_MAP_WRAP),
                    html.Div(graph(ids.xfilter(ids.PLACE_BAR), 340), className="place-bars"),
                ],
                className="place-drill-charts",
            ),
        ],
        id=ids.PLACE_ROW,
        className="place-drill",
        hidden=True,
    )


def register_place_callbacks(app: Dash, engine) -> None:
    """The drill follows the view: shown inside one country with places below it."""

    @app.callback(
        Output(ids.PLACE_ROW, "hidden"),
        Output(ids.PLACE_TITLE, "children"),
        Output(ids.xfilter(ids.PLACE_BAR), "figure"),
        Output(ids.xfilter(ids.PLACE_MAP), "figure"),
        Output(ids.PLACE_MAP_WRAP, "hidden"),
        Output(PLACE_NOTE, "children"),
        Output(PLACE_NOTE, "hidden"),
        Input(ids.VIEW, "data"),
        Input(ids.REFRESH_TOKEN, "data"),
    )
    def update_places(view, _token):
        f = filters_of(view)

        def compute():
            with engine.connect() as conn:
                return place_drill(conn, f)

        drill = cached(engine, "overview.places", f, compute) if len(f.countries) == 1 else None
        if drill is None:
            # Hidden: the figures stay as they are (never sent nor drawn for nothing, and no
            # "no orders" note for a row nobody sees).
            return True, "", no_update, no_update, True, "", True
        shown = len(drill.places)
        more = f" (the top {shown} of {drill.found})" if drill.found > shown else ""
        title = f"{drill.country} by {LEVEL_NAMES[drill.level]}{more} · click one to filter"
        state = state_map(drill)
        note = map_note(drill)
        return (
            False,
            title,
            place_bar(drill),
            state or figures.empty_figure(),
            state is None,
            note,
            not note,
        )
