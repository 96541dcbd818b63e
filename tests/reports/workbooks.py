"""Reading the XLSX files back with openpyxl, as a spreadsheet program would."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook


def open_book(data: bytes):
    return load_workbook(io.BytesIO(data))


def table(sheet, header_first: str) -> list[dict]:
    """The rows under the header row whose first cell is `header_first`, as dicts."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == header_first)
    header = rows[start]
    return [dict(zip(header, r, strict=True)) for r in rows[start + 1 :] if any(r)]


def labelled(sheet) -> dict:
    """{first cell: second cell} of the rows with a text label in column A."""
    return {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and isinstance(r[0], str)}


def cents(value) -> Decimal:
    """A money cell as read back, to the cent: the float a cell holds is the nearest double to
    the written amount, so its shortest repr is that amount."""
    return Decimal(repr(value)).quantize(Decimal("0.01"))
