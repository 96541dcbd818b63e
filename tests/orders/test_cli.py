"""The create-order and export commands: same validation, clear messages, exit codes."""

from click.testing import CliRunner

from dashapp.cli import cli
from tests.shop import row_counts, stock_of


def run(engine, *args):
    url = engine.url.render_as_string(hide_password=False)
    return CliRunner().invoke(cli, ["--database-url", url, *args])


def test_create_order_then_export_it(shop, tmp_path):
    result = run(
        shop,
        "create-order", "--customer", "1", "--date", "2024-03-05 14:30",
        "--line", "CAR:2", "--line", "BIKE:3:45.50:10",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # 2 x 100.00 + 3 x 45.50 x 0.9 = 200.00 + 122.85
    assert result.stdout == "Created order SO-000001 (id 1), total 322.85\n"
    assert (stock_of(shop, "CAR"), stock_of(shop, "BIKE")) == (8, 0)

    out = tmp_path / "orders.csv"
    result = run(shop, "export", "--what", "orders", "--country", "France", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (
        b"Order number,Date,Customer,Country,Status,Channel,Lines,Units,Total\r\n"
        b"SO-000001,2024-03-05 14:30:00,Acme,France,Pending,,2,5,322.85\r\n"
    )
    result = run(shop, "export", "--what", "orders", "--country", "USA", "--out", str(out))
    assert (
        out.read_bytes()
        == b"Order number,Date,Customer,Country,Status,Channel,Lines,Units,Total\r\n"
    )


def test_bad_order_is_explained_and_changes_nothing(shop):
    before = row_counts(shop)
    result = run(shop, "create-order", "--customer", "1", "--line", "BIKE:4", "--line", "X:0")
    assert result.exit_code == 1
    assert result.stderr == (
        "Order not saved:\n"
        "  line 2, product: Unknown product 'X'\n"
        "  line 2, quantity: Quantity must be greater than 0\n"
    )
    result = run(shop, "create-order", "--customer", "1", "--line", "BIKE")
    assert result.exit_code == 2
    assert "expected SKU:QTY[:PRICE[:DISCOUNT%]]" in result.stderr
    assert row_counts(shop) == before


def test_export_refuses_an_unknown_sort_without_writing(shop, tmp_path):
    out = tmp_path / "x.csv"
    result = run(shop, "export", "--sort", "secret:desc", "--out", str(out))
    assert result.exit_code == 2
    assert "Cannot sort by 'secret'" in result.stderr
    assert not out.exists()


def test_export_products(shop, tmp_path):
    out = tmp_path / "products.csv"
    assert run(shop, "export", "--what", "products", "--out", str(out)).exit_code == 0
    lines = out.read_text().splitlines()
    assert lines[1:] == [
        "BIKE,Bike B,Motorcycles,,50.00,,,3,0,7,no,yes",
        "BOAT,Boat C,Ships,,20.00,,,50,0,7,no,no",
        "CAR,Car A,Classic Cars,,100.00,,,10,0,7,no,yes",
        "PLANE,Plane D,Planes,,7.25,,,0,0,7,yes,yes",
    ]
