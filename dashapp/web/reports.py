"""Reports of the current view: /report/view.xlsx, .pdf and .png.

The Download menu links here with the view's resolved filters (dates, every filter), the
granularity, the section and the Overview's top-N settings. Sign-in and the role check are the
CSV exports' (dashapp.web.access first, then `view` here); a sales user's report covers only
the orders they entered (Filters.for_account), whatever the link says."""

from __future__ import annotations

import io
from datetime import datetime

from flask import Flask, Response, abort, request, send_file
from flask_login import current_user
from sqlalchemy import Engine

from dashapp.filters import FilterError, Filters
from dashapp.reports import page
from dashapp.reports.view import ViewReport, view_report
from dashapp.reports.workbook import XLSX_MIME, write_view_workbook
from dashapp.web.access import current_account

VIEW_PATH = "/report/view"
FORMATS = ("xlsx", "pdf", "png")
SECTION_KEY_CHARS = set("abcdefghijklmnopqrstuvwxyz-")


def report_url(fmt: str, query: str) -> str:
    """The link to the current view's report in `fmt` (query: the view's parameters)."""
    return f"{VIEW_PATH}.{fmt}?{query}" if query else f"{VIEW_PATH}.{fmt}"


def init_reports(server: Flask, engine: Engine) -> None:
    """Register the report routes."""

    @server.route(f"{VIEW_PATH}.<fmt>")
    def view_report_file(fmt: str):
        if not current_user.is_authenticated or not current_user.can("view"):
            abort(403)
        if fmt not in FORMATS:
            abort(404)
        try:
            report = _report(engine)
        except (FilterError, ValueError) as exc:
            return _message(f"Cannot make the report: {exc}", 400)
        name = f"sales-pulse-{_slug(report.section)}-{report.generated_at:%Y-%m-%d}"
        if fmt == "xlsx":
            out = io.BytesIO()
            write_view_workbook(report, out)
            out.seek(0)
            return send_file(
                out, mimetype=XLSX_MIME, as_attachment=True, download_name=f"{name}.xlsx"
            )
        try:
            if fmt == "pdf":
                body, mime = page.render_pdf(report), "application/pdf"
                headers = {}
            else:
                image = page.render_png(report)
                body, mime = image.png, "image/png"
                headers = {"X-Image-Size": f"{image.width}x{image.height}"}
        except (page.RendererMissing, page.RenderFailed) as exc:
            return _message(str(exc), 503)
        headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return Response(body, mimetype=mime, headers=headers)


def _report(engine: Engine) -> ViewReport:
    args = request.args.to_dict(flat=False)
    account = current_account()
    f = Filters.from_params(args).for_account(account)
    section = (args.get("section") or ["overview"])[-1]
    if not section or len(section) > 40 or not set(section) <= SECTION_KEY_CHARS:
        raise ValueError("unknown section")
    with engine.connect() as conn:
        return view_report(
            conn,
            f,
            section=section,
            granularity=(args.get("granularity") or ["month"])[-1],
            top_n=(args.get("top") or ["10"])[-1],
            top_by=(args.get("top_by") or ["revenue"])[-1],
            user=current_user.username,
            now=datetime.now().astimezone(),
            account=account,
        )


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:40] or "view"


def _message(text: str, status: int) -> Response:
    """A plain message the browser shows in place of the file (never an error page)."""
    return Response(text + "\n", status=status, mimetype="text/plain")
