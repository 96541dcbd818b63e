"""What an import did (or would do), for the CLI, the admin page and the tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

CHANGES_SHOWN = 20


@dataclass(frozen=True)
class Reject:
    """A row that was not imported: its CSV line number (header = line 1) and why."""

    line: int
    reason: str


@dataclass
class ImportReport:
    """Counts of one file's import; `committed` is False after a dry run or a strict-mode
    rollback."""

    file: str = ""
    format_label: str = ""
    encoding: str = ""
    mapping: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    date_format: str | None = None
    number_format: str | None = None  # said only when not the plain "1,234.50"
    rows_read: int = 0
    repeated_headers: list[int] = field(default_factory=list)  # CSV lines skipped
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (line, line it repeats)
    duplicates_dropped: bool = False
    rounded_lines: int = 0  # line amounts with more than two decimals, rounded to the cent
    rounding_cents: Decimal = Decimal(0)  # stored minus exact, in cents
    return_lines: int = 0  # credit notes' lines, stored as returns (negative units and amount)
    addresses_parsed: int = 0
    orders_added: int = 0
    lines_added: int = 0
    orders_updated: int = 0
    orders_unchanged: int = 0
    orders_skipped: int = 0
    orders_refused: int = 0  # saved in the app: not replaced without overwrite_app_orders
    names_corrected: int = 0
    changes: list[str] = field(default_factory=list)
    customers_added: int = 0
    products_added: int = 0
    rejects: list[Reject] = field(default_factory=list)
    dry_run: bool = False
    strict: bool = False
    committed: bool = False

    def summary_lines(self) -> list[str]:
        """A few human-readable lines: what was found, added, updated, skipped and rejected."""
        verb = "added" if self.committed else "would be added"
        columns = ", ".join(f"{k}={v}" for k, v in self.mapping.items())
        lines = [
            f"Format: {self.format_label} ({self.encoding})",
            f"Columns: {columns}",
        ]
        if self.ignored_columns:
            lines.append(f"Columns ignored: {', '.join(self.ignored_columns)}")
        if self.date_format:
            lines.append(f"Dates read as: {self.date_format}")
        if self.number_format:
            lines.append(f"Numbers read as: {self.number_format}")
        lines.append(f"Rows read: {self.rows_read:,}")
        if self.repeated_headers:
            lines.append(
                f"Repeated header lines skipped: {len(self.repeated_headers):,} "
                f"(line {_lines(self.repeated_headers)})"
            )
        if self.duplicates:
            what = "dropped" if self.duplicates_dropped else "kept"
            pairs = ", ".join(f"{a} = {b}" for a, b in self.duplicates[:5])
            more = ", ..." if len(self.duplicates) > 5 else ""
            lines.append(
                f"Exact duplicate rows {what}: {len(self.duplicates):,} (line {pairs}{more})"
            )
        if self.rounded_lines:
            lines.append(
                f"Amounts with more than two decimals rounded half-up to the cent, per line: "
                f"{self.rounded_lines:,} lines, total difference {_money(self.rounding_cents)}"
            )
        if self.return_lines:
            lines.append(
                f"Returns (negative quantity or amount): {self.return_lines:,} lines, "
                "netted from revenue and units"
            )
        if self.addresses_parsed:
            lines.append(
                f"Addresses split into street, city, state and postal code: "
                f"{self.addresses_parsed:,}"
            )
        updated = "updated" if self.committed else "would be updated"
        lines += [
            f"Orders {verb}: {self.orders_added:,} ({self.lines_added:,} lines)",
            f"Orders {updated}: {self.orders_updated:,}; unchanged: {self.orders_unchanged:,}",
        ]
        if self.orders_skipped:
            lines.append(f"Orders already present, skipped: {self.orders_skipped:,}")
        if self.orders_refused:
            lines.append(
                f"Orders saved in the app, not replaced: {self.orders_refused:,} "
                "(--overwrite-app-orders replaces them)"
            )
        if self.names_corrected:
            lines.append(f"Customer and product names corrected: {self.names_corrected:,}")
        lines += [f"  {change}" for change in self.changes[:CHANGES_SHOWN]]
        if len(self.changes) > CHANGES_SHOWN:
            lines.append(f"  ... and {len(self.changes) - CHANGES_SHOWN:,} more changes")
        lines += [
            f"Customers {verb}: {self.customers_added:,}; products {verb}: {self.products_added:,}",
            f"Rejected rows: {len(self.rejects):,}",
        ]
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        elif self.strict and self.rejects:
            lines.append("Strict mode: rows were rejected, so nothing was imported.")
        return lines


def combined_summary(reports: Sequence[ImportReport]) -> list[str]:
    """One report for several files: each file's section, then the totals."""
    if len(reports) == 1:
        return reports[0].summary_lines()
    lines: list[str] = []
    for report in reports:
        lines.append(f"== {report.file} ==")
        lines += [f"  {line}" for line in report.summary_lines()]
    committed = all(r.committed for r in reports)
    verb = "added" if committed else "would be added"
    lines += [
        f"== Total: {len(reports)} files ==",
        f"  Rows read: {sum(r.rows_read for r in reports):,}",
        f"  Orders {verb}: {sum(r.orders_added for r in reports):,} "
        f"({sum(r.lines_added for r in reports):,} lines)",
        f"  Orders updated: {sum(r.orders_updated for r in reports):,}; "
        f"unchanged: {sum(r.orders_unchanged for r in reports):,}; "
        f"skipped: {sum(r.orders_skipped for r in reports):,}",
        f"  Customers {verb}: {sum(r.customers_added for r in reports):,}; "
        f"products {verb}: {sum(r.products_added for r in reports):,}",
        f"  Rejected rows: {sum(len(r.rejects) for r in reports):,}",
    ]
    return lines


def _lines(numbers: list[int], shown: int = 5) -> str:
    return ", ".join(str(n) for n in numbers[:shown]) + (", ..." if len(numbers) > shown else "")


def _money(cents: Decimal) -> str:
    """A difference in currency units, exact: Decimal('1.5') cents -> '+0.015'."""
    value = (cents / 100).normalize()
    text = f"{value:f}"
    return text if text.startswith("-") else f"+{text}"
