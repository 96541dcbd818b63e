"""Files uploaded through the admin page, kept server-side under a random token.

The browser holds only the token, so a 50 MB CSV crosses the wire once, not with every
callback; tokens are checked against a strict pattern so one can never name another path.
An upload holds customer data, or every password hash for a backup: it is readable by the
server's user alone (0600, in a 0700 folder) and deleted as soon as its import or restore ends;
one left behind (a preview never imported) goes after KEEP_SECONDS.

An upload saved for an `owner` (the signed-in user) is stored under a name derived from both
the token and the owner, so a token is worthless to anyone else: another user's request names
a file that does not exist, and can neither import nor delete it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import secrets
import time
from pathlib import Path

from dashapp.settings import Settings
from dashapp.web.access import guarded
from dashapp.web.request_limits import allow_upload_body

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
KEEP_SECONDS = 2 * 3600
_TOKEN = re.compile(r"[0-9a-f]{32}")


class UploadError(ValueError):
    """An upload that cannot be used; the message says why."""


def upload_dir() -> Path:
    folder = Settings.from_env().uploads
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def upload_callback(app, permission: str, max_file_bytes: int, *args, **kwargs):
    """`guarded` for a callback whose input is a dcc.Upload's `contents`: its request body may
    carry a file of `max_file_bytes`, beyond the cap on every other callback."""

    def decorator(func):
        before = set(app.callback_map)
        registered = guarded(app, permission, *args, **kwargs)(func)
        allow_upload_body(app.server, set(app.callback_map) - before, max_file_bytes)
        return registered

    return decorator


def decode_contents(contents: str | None, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The bytes of a dcc.Upload `contents` value ("data:...;base64,...")."""
    if not contents or "," not in contents:
        raise UploadError("No file received.")
    encoded = contents.split(",", 1)[1]
    # base64 is 4 characters per 3 bytes: refuse before decoding a huge string.
    if len(encoded) * 3 // 4 > limit:
        raise UploadError(f"The file is larger than {limit // (1024 * 1024)} MB.")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise UploadError("The file could not be read from the upload.") from None
    if not data:
        raise UploadError("The file is empty.")
    return data


def _file_name(token: str, suffix: str, owner: str | None) -> str:
    if owner is None:
        return f"{token}{suffix}"
    return f"{token}-{hashlib.sha256(owner.encode()).hexdigest()[:16]}{suffix}"


def save_upload(data: bytes, suffix: str, owner: str | None = None) -> str:
    """Store `data` (for `owner` alone, when given); returns the token naming it. Uploads
    older than KEEP_SECONDS are removed on the way."""
    folder = upload_dir()
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    # Created 0600 (not chmod-ed after): never readable by others, not even for a moment.
    fd = os.open(
        folder / _file_name(token, suffix, owner), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
    )
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return token


def upload_path(token: str | None, suffix: str, owner: str | None = None) -> Path:
    """The stored file for a token (of `owner`'s uploads); UploadError when it is malformed,
    gone, or not this owner's."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise UploadError("Upload the file again.")
    path = upload_dir() / _file_name(token, suffix, owner)
    if not path.is_file():
        raise UploadError("The uploaded file has expired: upload it again.")
    return path


def discard_upload(token: str | None, suffix: str, owner: str | None = None) -> None:
    """Delete the stored file of a token (of `owner`'s uploads), if it is still there."""
    if isinstance(token, str) and _TOKEN.fullmatch(token):
        (upload_dir() / _file_name(token, suffix, owner)).unlink(missing_ok=True)
