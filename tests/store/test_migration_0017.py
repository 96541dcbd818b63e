"""Migration 0017 adds the per-order ship-to and segment and the per-line cost, ship date and
ship mode as nullable columns: existing orders keep every value and read None there."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from dashapp.store.migrate import alembic_config, current_revision, head_revision, upgrade

ORDER_COLUMNS = {"ship_region", "ship_state", "ship_city", "ship_postal_code", "segment"}
LINE_COLUMNS = {"cost_cents", "ship_date", "ship_mode"}


def _columns(engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_upgrade_keeps_existing_orders_and_adds_empty_columns(engine):
    command.downgrade(alembic_config(engine), "0016")
    assert not (ORDER_COLUMNS & _columns(engine, "orders"))
    assert not (LINE_COLUMNS & _columns(engine, "order_lines"))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO customers (id, name) VALUES (1, 'Acme')"))
        conn.execute(text("INSERT INTO products (id, sku, name, category, list_price_cents) "
                          "VALUES (1, 'P1', 'Product', 'Cars', 1000)"))  # fmt: skip
        conn.execute(
            text(
                "INSERT INTO orders (id, order_number, customer_id, ordered_at, order_date, "
                "status, country, total_cents) VALUES (1, 'A1', 1, '2024-01-02 00:00:00', "
                "'2024-01-02', 'Shipped', 'France', 2000)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO order_lines (order_id, line_number, product_id, quantity, "
                "unit_price_cents, discount_bp, amount_cents, order_date, status, customer_id, "
                "country, category) VALUES (1, 1, 1, 2, 1000, 0, 2000, '2024-01-02', "
                "'Shipped', 1, 'France', 'Cars')"
            )
        )

    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert _columns(engine, "orders") >= ORDER_COLUMNS
    assert _columns(engine, "order_lines") >= LINE_COLUMNS
    with engine.connect() as conn:
        order = conn.execute(
            text("SELECT order_number, total_cents, ship_state, segment FROM orders")
        ).one()
        line = conn.execute(
            text("SELECT amount_cents, cost_cents, ship_date, ship_mode FROM order_lines")
        ).one()
    assert tuple(order) == ("A1", 2000, None, None)
    assert tuple(line) == (2000, None, None, None)


def test_a_rerun_over_present_columns_is_harmless(engine):
    # A database stamped back to 0016 to refill its rollups runs 0017 again.
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0016'"))
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert _columns(engine, "order_lines") >= LINE_COLUMNS
