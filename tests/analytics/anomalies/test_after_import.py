"""The automatic anomaly check after `python -m dashapp import` (SPEC §4.6)."""

from datetime import date, timedelta

from sqlalchemy import func, select

from dashapp.analytics.anomalies import check_after_import, list_alerts
from dashapp.importer.report import ImportReport
from dashapp.store.models import Alert
from tests.cli_runner import run_cli

DROP_DAY = date(2024, 4, 20)
HEADER = "order_id,order_date,customer,country,sku,category,quantity,unit_price\n"


def steady_csv(*, drop: bool) -> str:
    """The steady.py days as a CSV: every day France buys P1 300.00 + P2 100.00
    and the USA P1 100.00 + P2 200.00 (700.00 a day). With `drop`, France buys no P1 on
    2024-04-20: P1, Cars and France lose 300 of their 400.00 (75 % down), the business
    700 -> 400 (42.9 %, under the default 50 %)."""
    rows = []
    for i in range(60):
        day = date(2024, 3, 1) + timedelta(days=i)
        france = [("P1", "Cars", 300), ("P2", "Bikes", 100)]
        if drop and day == DROP_DAY:
            france = france[1:]
        for country, items in (
            ("France", france),
            ("USA", [("P1", "Cars", 100), ("P2", "Bikes", 200)]),
        ):
            for sku, category, price in items:
                rows.append(
                    f"{country[:2]}{i},{day},{country} Ltd,{country},{sku},{category},1,{price}"
                )
    return HEADER + "\n".join(rows) + "\n"


def _alerts(engine) -> set[tuple[str, str, date]]:
    with engine.connect() as conn:
        return {(a["scope"], a["key"], a["day"]) for a in list_alerts(conn)}


def _import(engine, tmp_path, *, drop: bool, options=()):
    """`import --quiet` of steady_csv(drop) from tmp_path/orders.csv; it must succeed."""
    path = tmp_path / "orders.csv"
    path.write_text(steady_csv(drop=drop))
    result = run_cli(engine, "import", str(path), "--quiet", *options)
    assert result.exit_code == 0, result.output
    return result


def test_import_with_a_drop_stores_its_alerts(engine, tmp_path):
    result = _import(engine, tmp_path, drop=True)
    assert "Orders added: 120" in result.stdout
    assert "Anomaly check: 3 new alerts" in result.stdout
    assert _alerts(engine) == {
        ("category", "Cars", DROP_DAY),
        ("product", "P1", DROP_DAY),
        ("country", "France", DROP_DAY),
    }
    # The same file again adds no orders, so there is nothing new to check.
    again = run_cli(engine, "import", str(tmp_path / "orders.csv"), "--quiet")
    assert again.exit_code == 0 and "Anomaly check" not in again.stdout


def test_steady_import_checks_and_finds_nothing(engine, tmp_path):
    result = _import(engine, tmp_path, drop=False)
    assert "Anomaly check: 0 new alerts" in result.stdout
    assert _alerts(engine) == set()


def test_dry_run_neither_imports_nor_checks(engine, tmp_path):
    result = _import(engine, tmp_path, drop=True, options=["--dry-run"])
    assert "Anomaly check" not in result.stdout
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Alert)) == 0


def test_check_after_import_skips_reports_without_new_orders(engine):
    # No database work happens for these reports: each is refused before the scan.
    assert check_after_import(engine, ImportReport(dry_run=True, orders_added=5)) is None
    assert check_after_import(engine, ImportReport(committed=False, orders_added=5)) is None
    assert check_after_import(engine, ImportReport(committed=True, orders_added=0)) is None


def test_webhook_from_the_environment_is_used(engine, tmp_path, monkeypatch):
    # Port 9 (discard) refuses connections here: the failure is reported, the alerts kept.
    monkeypatch.setenv("SALES_PULSE_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    result = _import(engine, tmp_path, drop=True)
    assert "Anomaly check: 3 new alerts" in result.stdout
    assert "Webhook not delivered" in result.stderr
    assert len(_alerts(engine)) == 3
