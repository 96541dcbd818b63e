"""Flask routes that stream backup files; both need the data:backup permission."""

from __future__ import annotations

from flask import Flask, abort, send_file
from flask_login import current_user
from sqlalchemy import Engine

from dashapp.backup import BackupError, backup, backup_dir, backup_name, backup_path

DOWNLOAD_NEW = "/admin/backup/download"
DOWNLOAD_LISTED = "/admin/backups/"


def _require_backup_permission() -> None:
    # Sign-in is already enforced for every non-public path (access.init_access).
    if not current_user.is_authenticated or not current_user.can("data:backup"):
        abort(403)


def init_backup_routes(server: Flask, engine: Engine) -> None:
    @server.route(DOWNLOAD_NEW)
    def download_new_backup():
        """Make a fresh backup (also kept in the backup folder) and download it."""
        _require_backup_permission()
        info = backup(engine, backup_dir() / backup_name(engine))
        return send_file(info.path, as_attachment=True, download_name=info.path.name)

    @server.route(DOWNLOAD_LISTED + "<name>")
    def download_listed_backup(name: str):
        _require_backup_permission()
        try:
            path = backup_path(None, name)
        except BackupError:
            abort(404)
        if not path.is_file():
            abort(404)
        return send_file(path, as_attachment=True, download_name=path.name)
