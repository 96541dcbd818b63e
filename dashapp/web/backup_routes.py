"""Flask routes that stream backup files; both need the data:backup permission, and every
download is in the audit log (a backup holds every password hash).

Making a backup writes a file as big as the database, so it is a POST (the admin page submits a
small form and the download follows); a GET there is a 405. The POST must come from this site's
own page: SameSite=Lax keeps the session cookie off cross-site POSTs, and the Origin (or
Referer) must name this host as well.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, request, send_file
from flask_login import current_user
from sqlalchemy import Engine
from werkzeug.exceptions import MethodNotAllowed

from dashapp.backup import BackupError, backup, backup_dir, backup_name, backup_path
from dashapp.store.audit import record_change
from dashapp.store.db import write_transaction
from dashapp.web.access import require_same_origin

DOWNLOAD_NEW = "/admin/backup/download"
DOWNLOAD_LISTED = "/admin/backups/"


def _require_backup_permission() -> None:
    # Sign-in is already enforced for every non-public path (access.init_access).
    if not current_user.is_authenticated or not current_user.can("data:backup"):
        abort(403)


def _audited_download(engine: Engine, path: Path, made: bool):
    """Record who downloaded which backup, then send it."""
    with write_transaction(engine) as conn:
        record_change(
            conn,
            user=current_user.username,
            action="download",
            entity="backup",
            entity_id=path.name,
            after={"file": path.name, "size": path.stat().st_size, "new": made},
        )
    return send_file(path, as_attachment=True, download_name=path.name)


def init_backup_routes(server: Flask, engine: Engine) -> None:
    # GET is routed here only to answer 405: Dash's catch-all page route would take it.
    @server.route(DOWNLOAD_NEW, methods=["GET", "POST"])
    def download_new_backup():
        """Make a fresh backup (also kept in the backup folder) and download it."""
        if request.method != "POST":
            raise MethodNotAllowed(valid_methods=["POST"])
        _require_backup_permission()
        require_same_origin()
        try:
            info = backup(engine, backup_dir() / backup_name(engine))
        except BackupError as exc:
            abort(500, f"The backup failed: {exc}")
        return _audited_download(engine, info.path, made=True)

    @server.route(DOWNLOAD_LISTED + "<name>")
    def download_listed_backup(name: str):
        _require_backup_permission()
        try:
            path = backup_path(None, name)
        except BackupError:
            abort(404)
        if not path.is_file():
            abort(404)
        return _audited_download(engine, path, made=False)
