"""Reusable page pieces: chart cards and KPI cards."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html


def chart_config(name: str) -> dict:
    """Every chart's config: a toolbar (on hover) with one button, "Download plot as a png",
    saving sales-pulse-<chart>-<day>.png at twice the size shown; no zoom or lasso tools."""
    return {
        "displayModeBar": "hover",
        "modeBarButtons": [["toImage"]],
        "displaylogo": False,
        "responsive": True,
        "topojsonURL": "/assets/topojson/",
        "toImageButtonOptions": {
            "format": "png",
            "filename": f"sales-pulse-{name}-{date.today().isoformat()}",
            "scale": 2,
        },
    }


def _chart_name(id_) -> str:
    """The file name part of a chart's id: "revenue-trend", or a cross-filter chart's name."""
    name = id_.get("name", "chart") if isinstance(id_, dict) else str(id_)
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "chart"


def graph(id_, height: int = 300, **kwargs) -> dcc.Loading:
    """A graph with a spinner while its callback runs."""
    return dcc.Loading(
        dcc.Graph(
            id=id_,
            config=chart_config(_chart_name(id_)),
            style={"height": f"{height}px"},
            **kwargs,
        ),
        type="circle",
        delay_show=150,
        overlay_style={"visibility": "visible", "opacity": 0.5},
    )


def chart_card(title: str, caption_id: str, *body, tools=None, class_name: str = "") -> dbc.Card:
    """A titled card with a one-line caption saying what the chart shows and under which filters."""
    header = html.Div(
        [
            html.Div(
                [
                    html.H2(title, className="card-title"),
                    html.Div(id=caption_id, className="card-caption"),
                ],
                className="me-auto",
            ),
            tools or html.Span(),
        ],
        className="d-flex flex-wrap gap-2 align-items-start",
    )
    return dbc.Card(dbc.CardBody([header, *body]), className=f"chart-card {class_name}")


def kpi_card(
    key: str,
    label: str,
    value: str,
    delta_text: str,
    tone: str,
    secondary: str,
    spark,
    hint: str = "",
) -> dbc.Card:
    """Label, what the number counts (hint), big number, delta vs the previous period (arrow,
    %, coloured), a second comparison or breakdown, sparkline."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(label, className="kpi-label"),
                html.Div(hint, id=f"kpi-{key}-hint", className="kpi-hint"),
                html.Div(value, id=f"kpi-{key}", className="kpi-value"),
                html.Div(delta_text, id=f"kpi-{key}-delta", className=f"kpi-delta {tone}"),
                html.Div(secondary, id=f"kpi-{key}-secondary", className="kpi-secondary"),
                html.Img(
                    src=spark,
                    alt="",
                    className="kpi-spark",
                    style={"display": "block", "width": "100%", "height": "36px"},
                ),
            ]
        ),
        className="kpi-card",
    )


def stat_card(key: str, label: str, value: str, secondary: str) -> dbc.Card:
    """A KPI card without a comparison: label, big number, one line of context."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(label, className="kpi-label"),
                html.Div(value, id=f"stat-{key}", className="kpi-value"),
                html.Div(secondary, id=f"stat-{key}-note", className="kpi-note"),
            ]
        ),
        className="kpi-card stat-card",
    )
