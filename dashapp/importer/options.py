"""The answers a user can give to the questions an import asks (SPEC §5: never guess).

Every field defaults to "not answered": the reader decides from the file when the file settles
it, and raises NeedsAnswer naming the field's CLI option when it does not.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file where the file alone cannot say.

    encoding: a Python codec name ("cp1252", "utf-8", ...), overriding detection.
    decimal / thousands: the number separators ("," and "." or " "), for every number column.
    date_format: "dd/mm/yyyy", "mm/dd/yyyy", "yyyy-mm-dd" (any of / - . as separator).
    duplicates: "keep" or "drop" exact duplicate rows of the same order.
    no_customers: import a file without a customer column (orders count, customers do not).
    """

    encoding: str | None = None
    decimal: str | None = None
    thousands: str | None = None
    date_format: str | None = None
    duplicates: str | None = None
    no_customers: bool = False
