"""The header's Download menu: the current view as XLSX (one sheet per figure, the filters on
the first), PDF or PNG (dashapp.web.reports). Its links follow the view: the resolved filters
of the view store, the granularity, the section and the Overview's top-N settings."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, html

from dashapp.reports.page import find_browser
from dashapp.ui import ids
from dashapp.web.reports import report_url

ITEMS = (
    ("xlsx", ids.DOWNLOAD_XLSX, "Excel workbook (.xlsx)", "One sheet per chart, filters first"),
    ("pdf", ids.DOWNLOAD_PDF, "PDF of this page", "KPIs and charts with the filters printed"),
    ("png", ids.DOWNLOAD_PNG, "PNG image of this page", "The same page as one picture"),
)
PRINTED = ("pdf", "png")
NO_BROWSER = "Needs Chromium on the server (apt-get install chromium)"


def menu() -> dbc.DropdownMenu:
    """The Download menu; PDF and PNG are greyed out, saying why, without a browser to print."""
    printable = find_browser() is not None
    items = [dbc.DropdownMenuItem("Download this view", header=True)]
    for fmt, id_, label, hint in ITEMS:
        usable = printable or fmt not in PRINTED
        items.append(
            dbc.DropdownMenuItem(
                [
                    html.Div(label),
                    html.Small(hint if usable else NO_BROWSER, className="text-muted"),
                ],
                id=id_,
                href=report_url(fmt, ""),
                external_link=True,
                disabled=not usable,
                class_name="download-item",
            )
        )
    return dbc.DropdownMenu(
        items,
        id=ids.DOWNLOAD_MENU,
        label=html.Span(
            [
                html.Span("⤓", className="download-icon", **{"aria-hidden": "true"}),
                html.Span("Download"),
            ]
        ),
        size="sm",
        color="light",
        align_end=True,
        class_name="download-menu",
        toggle_class_name="download-toggle",
    )


def view_query(view_data: dict | None, pathname: str | None, search: str | None) -> str:
    """The report's query: the view's filters (dates resolved), granularity, section, top N."""
    params = parse_qs((view_data or {}).get("filters") or "")
    params["granularity"] = [(view_data or {}).get("granularity") or "month"]
    section = (pathname or "/").strip("/").split("/")[0] or "overview"
    params["section"] = [section]
    page = parse_qs((search or "").lstrip("?"))
    for key in ("top", "top_by"):
        if page.get(key):
            params[key] = page[key][-1:]
    return urlencode(params, doseq=True)


def register_callbacks(app: Dash) -> None:
    """The menu's links follow the view."""

    @app.callback(
        [Output(id_, "href") for _, id_, _, _ in ITEMS],
        Input(ids.VIEW, "data"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )
    def download_links(view_data, pathname, search):
        query = view_query(view_data, pathname, search)
        return [report_url(fmt, query) for fmt, _, _, _ in ITEMS]
