"""Every kind of write moves the data version the shared answer cache is keyed by: import, the
demo generator and restore here; order entry and catalog edits in tests/orders/test_data_version.
A refused or dry-run write leaves it where it was."""

from datetime import date

import pytest

from dashapp.backup import backup, restore
from dashapp.demo import DemoError, generate_demo
from dashapp.importer import import_csv
from dashapp.store.version import data_version

CSV = (
    "Order ID,Order Date,Customer Name,Product,Category,Quantity,Unit Price,Country\n"
    "A1,2024-03-01,Acme,CAR,Cars,2,100.00,France\n"
)


def version(engine) -> str:
    with engine.connect() as conn:
        return data_version(conn)


def test_import_moves_the_version_and_a_dry_run_does_not(engine, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(CSV)
    empty = version(engine)
    assert import_csv(engine, path, dry_run=True).orders_added == 1
    assert version(engine) == empty
    assert import_csv(engine, path).orders_added == 1
    imported = version(engine)
    assert imported != empty
    # Importing the same file again adds nothing, so nothing cached goes stale.
    assert import_csv(engine, path).orders_added == 0
    assert version(engine) == imported


def test_demo_moves_the_version_and_a_refusal_does_not(engine):
    empty = version(engine)
    generate_demo(engine, orders=50, seed=1, end=date(2024, 6, 30))
    loaded = version(engine)
    assert loaded != empty
    with pytest.raises(DemoError):
        generate_demo(engine, orders=50, seed=1, end=date(2024, 6, 30))
    assert version(engine) == loaded


def test_restore_moves_the_version_past_every_earlier_one(engine, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(CSV)
    import_csv(engine, path)
    seen = [version(engine)]
    saved = backup(engine, tmp_path / "before.bak")
    assert version(engine) == seen[0]  # a backup writes nothing
    more = tmp_path / "more.csv"
    more.write_text(CSV.replace("A1,2024-03-01", "A2,2024-03-02"))
    assert import_csv(engine, more).orders_added == 1
    seen.append(version(engine))
    restore(engine, saved.path, "a", folder=tmp_path / "backups")
    # The data is the backup's again, but answers cached for any earlier state are not reused.
    assert version(engine) not in seen


def test_alerts_move_the_version_when_stored_or_changed(engine):
    from dashapp.analytics.anomalies import Anomaly, list_alerts, set_alert_status, store_alerts

    drop = Anomaly("total", "", date(2024, 3, 5), 10000, 2000, 80.0, 6.5)
    empty = version(engine)
    assert store_alerts(engine, [drop]) == 1
    stored = version(engine)
    assert stored != empty
    assert store_alerts(engine, [drop]) == 0  # already stored: nothing changes
    assert version(engine) == stored
    with engine.connect() as conn:
        (alert,) = list_alerts(conn)
    set_alert_status(engine, alert["id"], "acknowledged", "alice")
    acknowledged = version(engine)
    assert acknowledged != stored
    set_alert_status(engine, alert["id"], "acknowledged", "alice")  # no change
    assert version(engine) == acknowledged
