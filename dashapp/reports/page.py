"""The current view as a printable page, then as PDF or PNG, printed by headless Chromium.

Why Chromium and not kaleido: kaleido 1.x draws single figures and itself needs a Chrome
(its ChromeNotFoundError asks for one; nothing may be downloaded here), and a PDF of the
figures would then need a PDF library and a Unicode font of its own. Chromium (the browser the
browser tests already install) prints the same HTML page to a PDF with real, searchable text
and system fonts, and to a PNG, in one process. Measured on a 5k-order demo at load 8.5: the
Overview's 9-page PDF 0.7 CPU s of Chromium (a page with the header only: 0.66 s), the PNG
0.85 s; kaleido 1.5 drawing 8 bar charts one by one 7.1 CPU s and 35 s wall, before any PDF.
The page is written by us from the domain's numbers to a private temporary folder and loaded
from disk: no session to lend, no network, no callbacks to wait for. Plotly.js (from the
plotly package) draws the charts.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from string import Template

from dashapp.analytics.kpis import cents_to_decimal
from dashapp.reports.view import COUNT, DAY, MONEY, SHARE, Column, KpiLine, Table, ViewReport

log = logging.getLogger(__name__)

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MISSING = (
    "PDF and PNG reports need Chromium on the server, and none was found "
    "(looked for: chromium, chromium-browser, google-chrome). Install it "
    "(Debian/Ubuntu: apt-get install chromium) and try again; the XLSX report works without it."
)
TIMEOUT_S = 60
TABLE_ROWS_SHOWN = 25
PNG_WIDTH = 1366
PDF_WIDTH = 1040  # A4 landscape less the margins, in CSS pixels
# Fixed block heights, so the PNG's height is known before Chromium draws it.
BAR_PX = 20
KPI_GAP_PX, KPIS_PER_ROW = 10, 4
HEADER_PX, KPI_PX, FIGURE_HEAD_PX, CHART_PX, ROW_PX, NOTE_PX, GAP_PX = 118, 112, 58, 320, 24, 26, 18
# Two renders at a time at most: each is a browser (2 cores on the reference machine).
CHART_CONFIG = {"staticPlot": True, "displayModeBar": False}
_SLOTS = threading.BoundedSemaphore(2)


class RendererMissing(RuntimeError):
    """No Chromium to print with: the message says what to install."""

    def __init__(self) -> None:
        super().__init__(MISSING)


class RenderFailed(RuntimeError):
    """Chromium ran but gave no file (crashed or timed out)."""


@dataclass(frozen=True)
class PageImage:
    png: bytes
    width: int
    height: int


def find_browser(names: tuple[str, ...] = BROWSERS) -> str | None:
    """The path of the first Chromium-like browser on PATH, or None."""
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def render_pdf(report: ViewReport, browser: str | None = None) -> bytes:
    """The view printed to PDF (A4 landscape): header, filters line, KPIs, each figure."""
    return _print(page_html(report, PDF_WIDTH), "pdf", browser)


def render_png(report: ViewReport, browser: str | None = None) -> PageImage:
    """The view as one PNG PNG_WIDTH pixels wide, as tall as the page."""
    height = page_height(report)
    png = _print(page_html(report, PNG_WIDTH - 40), "png", browser, (PNG_WIDTH, height))
    return PageImage(png, PNG_WIDTH, height)


def _print(document: str, kind: str, browser: str | None, size: tuple[int, int] = (0, 0)) -> bytes:
    path = browser or find_browser()
    if not path or not Path(path).exists():
        raise RendererMissing()
    # A queue of waiting prints must not hold every server thread: past a minute, say so.
    if not _SLOTS.acquire(timeout=TIMEOUT_S):
        raise RenderFailed("Other reports are being printed; try again in a minute.")
    try:
        return _run(path, document, kind, size)
    finally:
        _SLOTS.release()


def _run(path: str, document: str, kind: str, size: tuple[int, int]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="sales-pulse-print-") as tmp:
        folder = Path(tmp)
        page = folder / "page.html"
        page.write_text(document, encoding="utf-8")
        out = folder / f"page.{kind}"
        command = [
            path,
            "--headless",
            "--no-sandbox",  # root in containers; the page is ours and offline
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--disable-background-networking",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={folder / 'profile'}",
            "--virtual-time-budget=15000",  # let plotly.js draw before printing
            "--run-all-compositor-stages-before-draw",
        ]
        if kind == "pdf":
            command += ["--no-pdf-header-footer", f"--print-to-pdf={out}"]
        else:
            command += [
                f"--screenshot={out}",
                f"--window-size={size[0]},{size[1]}",
                "--force-device-scale-factor=1",
            ]
        command.append(page.as_uri())
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise RenderFailed(f"The browser took over {TIMEOUT_S} s to print the page.") from exc
        except OSError as exc:
            raise RendererMissing() from exc
        if not out.exists() or out.stat().st_size == 0:
            log.warning("chromium print failed (%s): %s", done.returncode, done.stderr[-2000:])
            raise RenderFailed("The browser could not print the page; see the server log.")
        return out.read_bytes()


def chart_height(table: Table) -> int:
    """A ranked bar chart grows with its bars (every label readable); the others are fixed."""
    if table.chart == "table":
        return 0
    if table.chart != "bar":
        return CHART_PX
    return max(CHART_PX, 60 + BAR_PX * min(len(table.rows), TABLE_ROWS_SHOWN))


def page_height(report: ViewReport) -> int:
    """The page's height in pixels at PNG_WIDTH (every block has a fixed height)."""
    kpi_rows = -(-len(report.kpis) // KPIS_PER_ROW)
    kpis = kpi_rows * KPI_PX + max(0, kpi_rows - 1) * KPI_GAP_PX
    height = HEADER_PX + NOTE_PX * len(report.notes) + kpis + GAP_PX
    for table in report.tables:
        height += FIGURE_HEAD_PX + chart_height(table) + _table_height(table) + GAP_PX
    return height + 24


def _table_height(table: Table) -> int:
    if not table.rows:
        return NOTE_PX
    if len(table.rows) > TABLE_ROWS_SHOWN:
        return NOTE_PX
    return ROW_PX * (len(table.rows) + 1) + 8


def value_text(value: object, kind: str) -> str:
    """A cell as the page reads it: $1,234.50, 1,234, 12.5 %, 6 Feb 2024."""
    if value is None:
        return "—"
    if kind == MONEY:
        amount = cents_to_decimal(int(value))
        return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"
    if kind == COUNT:
        return f"{value:,}"
    if kind == SHARE:
        return f"{value:.1%}"
    if kind == DAY:
        return value.strftime("%-d %b %Y")
    return str(value)


def _kpi_value(line: KpiLine) -> str:
    """The card's number; "n/a" where it cannot be known (profit without any cost)."""
    return "n/a" if line.value is None else value_text(line.value, line.kind)


def _change_text(line: KpiLine) -> str:
    """ "▲ 12.5% vs previous period", else against last year, as the page's card reads."""
    for change, against in ((line.change, "previous period"), (line.change_last_year, "last year")):
        if change is None:
            continue
        size = change * 100 if line.kind == SHARE else change
        arrow = "▲" if size > 0 else "▼" if size < 0 else "→"
        amount = f"{abs(size):.1f} pp" if line.kind == SHARE else f"{abs(size):.1%}"
        return f"{arrow} {amount} vs {against}"
    return "no earlier data to compare"


def plot_text(value: object) -> str:
    """User text made literal for Plotly labels (they render <a>, <b>, <br>)."""
    text = html.escape(str(value), quote=False)
    return text.replace('"', "&#34;").replace("'", "&#39;")


def _number(value: object, kind: str) -> float | None:
    if value is None:
        return None
    return float(cents_to_decimal(int(value))) if kind == MONEY else float(value)


def _x(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else plot_text(value)


def figure_of(table: Table, width: int) -> dict:
    """A plain plotly.js figure of a table: a line over time, lines per column, or bars."""
    cols = table.columns
    layout = {
        "width": width,
        "height": CHART_PX,
        "margin": {"l": 60, "r": 20, "t": 10, "b": 40},
        "font": {"family": "Inter, 'DejaVu Sans', Arial, sans-serif", "size": 12},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": False,
        "legend": {"orientation": "h", "y": 1.08},
        "separators": ".,",
    }
    money_axis = {"tickprefix": "$", "tickformat": "~s", "gridcolor": "#e5e7eb"}
    palette = ["#2563eb", "#f97316", "#16a34a", "#db2777", "#7c3aed", "#0891b2", "#ca8a04"]
    if table.chart == "columns":
        layout["yaxis"] = money_axis
        layout["xaxis"] = {"type": "date"}
        bars = {
            "type": "bar",
            "x": [_x(r[0]) for r in table.rows],
            "y": [_number(r[1], MONEY) for r in table.rows],
            "marker": {"color": palette[0]},
            "name": plot_text(cols[1].name),
        }
        return {"data": [bars], "layout": layout, "config": CHART_CONFIG}
    if table.chart in ("line", "lines"):
        xs = [_x(r[0]) for r in table.rows]
        money = [i for i, c in enumerate(cols) if c.kind == MONEY]
        traces = []
        for n, i in enumerate(money):
            trace = {
                "type": "scatter",
                "mode": "lines",
                "name": plot_text(cols[i].name),
                "x": xs,
                "y": [_number(r[i], MONEY) for r in table.rows],
                "line": {"color": palette[n % len(palette)], "width": 2},
            }
            if table.chart == "line" and n > 0:
                trace["line"] = {"color": "#94a3b8", "width": 1.5, "dash": "dot"}
            traces.append(trace)
        layout["yaxis"] = money_axis
        layout["xaxis"] = {"type": "date", "gridcolor": "#f1f5f9"}
        layout["showlegend"] = len(traces) > 1
        return {"data": traces, "layout": layout, "config": CHART_CONFIG}
    label = next(i for i, c in enumerate(cols) if c.kind == "text" and c.name != "SKU")
    measure = next(i for i, c in enumerate(cols) if c.kind == MONEY)
    rows = list(reversed(table.rows[:TABLE_ROWS_SHOWN]))
    layout["height"] = chart_height(table)
    layout["yaxis"] = {"automargin": True, "type": "category", "dtick": 1}
    layout["xaxis"] = money_axis
    layout["margin"]["l"] = 10
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [plot_text(r[label]) for r in rows],
                "x": [_number(r[measure], MONEY) for r in rows],
                "marker": {"color": palette[0]},
                "name": plot_text(cols[measure].name),
            }
        ],
        "layout": layout,
        "config": CHART_CONFIG,
    }


@functools.cache
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element (no "</script>", no "<!--")."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


STYLE = Template("""
@page { size: A4 landscape; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: Inter, 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; color: #0f172a;
       margin: 20px; background: white; font-size: 13px; }
header { height: ${header}px; overflow: hidden; }
h1 { font-size: 22px; margin: 0 0 6px; }
.filters { font-size: 14px; margin: 0 0 4px; font-weight: 600; }
.meta { color: #475569; margin: 0; }
.note { height: ${note}px; color: #92400e; margin: 0; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); grid-auto-rows: ${kpi}px;
        gap: ${kpi_gap}px; margin-bottom: ${gap}px; break-inside: avoid; }
.kpi { border: 1px solid #e2e8f0; border-radius: 8px; padding: 8px 10px; overflow: hidden; }
.kpi .label { color: #475569; font-size: 12px; }
.kpi .value { font-size: 20px; font-weight: 700; margin: 4px 0; white-space: nowrap; }
.kpi .change, .kpi .extra { font-size: 11px; color: #475569; line-height: 1.25; }
.figure { break-inside: avoid; margin-bottom: ${gap}px; }
.figure-head { height: ${head}px; overflow: hidden; }
h2 { font-size: 16px; margin: 0 0 2px; }
.caption { color: #475569; margin: 0; white-space: nowrap; overflow: hidden;
           text-overflow: ellipsis; }
.chart { height: ${chart}px; }
table { border-collapse: collapse; margin-top: 8px; table-layout: auto; }
th, td { height: ${row}px; padding: 0 10px; white-space: nowrap; border-bottom: 1px solid #e2e8f0;
         max-width: 360px; overflow: hidden; text-overflow: ellipsis; }
th { text-align: left; background: #eef2f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.more { height: ${note}px; color: #475569; margin: 0; }
""").substitute(
    header=HEADER_PX,
    note=NOTE_PX,
    kpi=KPI_PX,
    kpi_gap=KPI_GAP_PX,
    gap=GAP_PX,
    head=FIGURE_HEAD_PX,
    chart=CHART_PX,
    row=ROW_PX,
)


def _table_html(table: Table) -> str:
    if not table.rows:
        return '<p class="more">No rows under these filters.</p>'
    if len(table.rows) > TABLE_ROWS_SHOWN:
        return f'<p class="more">{len(table.rows):,} rows: the XLSX report holds them all.</p>'
    head = "".join(f"<th>{html.escape(c.name)}</th>" for c in table.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"num" if c.kind in (MONEY, COUNT, SHARE) else ""}">'
            f"{html.escape(value_text(v, c.kind))}</td>"
            for v, c in zip(row, table.columns, strict=True)
        )
        + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page_html(report: ViewReport, width: int) -> str:
    """The printable page: every user-given text escaped, figures as JSON for plotly.js."""
    e = html.escape
    when = report.generated_at.strftime("%Y-%m-%d %H:%M %Z").strip()
    kpis = "".join(
        f'<div class="kpi"><div class="label">{e(k.label)}</div>'
        f'<div class="value" data-kpi="{e(k.label)}">{e(_kpi_value(k))}</div>'
        f'<div class="change">{e(_change_text(k) if k.value is not None else "")}</div>'
        f'<div class="extra">{e(k.note)}</div></div>'
        for k in report.kpis
    )
    figures, scripts = [], []
    for i, table in enumerate(report.tables):
        head = (
            f'<section class="figure"><div class="figure-head"><h2>{e(table.title)}</h2>'
            f'<p class="caption">{e(table.caption)}</p></div>'
        )
        chart = (
            f'<div class="chart" id="chart-{i}" style="height: {chart_height(table)}px"></div>'
            if table.chart != "table"
            else ""
        )
        figures.append(f"{head}{chart}{_table_html(table)}</section>")
        if table.rows and table.chart != "table":
            scripts.append(f"Plotly.newPlot('chart-{i}', {_script_json(figure_of(table, width))});")
    notes = "".join(f'<p class="note">{e(n)}</p>' for n in report.notes)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Sales Pulse — {e(report.section)}</title><style>{STYLE}</style>"
        f"<script>{_plotly_js()}</script></head><body>"
        f"<header><h1>Sales Pulse — {e(report.section)}</h1>"
        f'<p class="filters">Filters: {e(report.filters_text)}</p>'
        f'<p class="meta">Granularity: {e(report.granularity)} · prepared for '
        f"{e(report.user or '—')} · generated {e(when)}</p></header>{notes}"
        f'<section class="kpis">{kpis}</section>{"".join(figures)}'
        f"<script>{''.join(scripts)}</script></body></html>"
    )


__all__ = [
    "Column",
    "PageImage",
    "RenderFailed",
    "RendererMissing",
    "find_browser",
    "page_html",
    "render_pdf",
    "render_png",
]
