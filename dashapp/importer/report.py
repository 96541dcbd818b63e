"""What an import did (or would do), for the CLI, the admin page and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reject:
    """A row that was not imported: its CSV line number (header = line 1) and why."""

    line: int
    reason: str


@dataclass
class ImportReport:
    """Counts of one import; `committed` is False after a dry run or a strict-mode rollback."""

    format_label: str = ""
    encoding: str = ""
    mapping: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    rows_read: int = 0
    orders_added: int = 0
    lines_added: int = 0
    orders_skipped: int = 0
    customers_added: int = 0
    products_added: int = 0
    rejects: list[Reject] = field(default_factory=list)
    dry_run: bool = False
    strict: bool = False
    committed: bool = False

    def summary_lines(self) -> list[str]:
        """A few human-readable lines: what was found, added, skipped and rejected."""
        verb = "added" if self.committed else "would be added"
        columns = ", ".join(f"{k}={v}" for k, v in self.mapping.items())
        lines = [
            f"Format: {self.format_label} ({self.encoding})",
            f"Columns: {columns}",
        ]
        if self.date_format:
            lines.append(f"Dates read as: {self.date_format}")
        lines += [
            f"Rows read: {self.rows_read:,}",
            f"Orders {verb}: {self.orders_added:,} ({self.lines_added:,} lines)",
            f"Orders already present, skipped: {self.orders_skipped:,}",
            f"Customers {verb}: {self.customers_added:,}; products {verb}: {self.products_added:,}",
            f"Rejected rows: {len(self.rejects):,}",
        ]
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        elif self.strict and self.rejects:
            lines.append("Strict mode: rows were rejected, so nothing was imported.")
        return lines
