"""The two ways an import can fail: the whole file, or one row."""

from __future__ import annotations


class ImportFileError(Exception):
    """The file cannot be imported at all (missing, empty, garbled or unrecognised)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RowError(ValueError):
    """One value of one row is unusable; the message is shown to the user as is."""
