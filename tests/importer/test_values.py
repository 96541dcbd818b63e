"""Reading one cell: numbers as exports write them, quantities, discounts, flags, text."""

from decimal import Decimal

import pytest

from dashapp.importer.errors import RowError
from dashapp.importer.values import (
    bounded,
    parse_decimal,
    parse_discount,
    parse_flag,
    parse_quantity,
    to_cents,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234.5", "1234.5"),
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("12,5", "12.5"),
        ("1,234", "1234"),
        ("$ 12", "12"),
        ("€3.10", "3.10"),
        (".5", ".5"),
    ],
)
def test_numbers_as_exports_write_them(text, value):
    assert parse_decimal(text, "price") == Decimal(value)


@pytest.mark.parametrize("text", ["abc", "1.2.3", "", "1e5", "NaN"])
def test_non_numbers_are_refused(text):
    with pytest.raises(RowError, match="is not a number"):
        parse_decimal(text, "price")


def test_cents_round_half_up():
    assert to_cents(Decimal("5.565")) == 557
    assert to_cents(Decimal("5.564")) == 556
    assert to_cents(Decimal("2765.9")) == 276590


@pytest.mark.parametrize(("text", "value"), [("3", 3), ("3.0", 3), ("1,000", 1000)])
def test_quantities(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["0", "-2", "1.5", "x"])
def test_bad_quantities(text):
    with pytest.raises(RowError, match="is not a positive whole number"):
        parse_quantity(text)


@pytest.mark.parametrize(("text", "bp"), [("0.1", 1000), ("10%", 1000), ("10", 1000), ("0", 0)])
def test_discounts_in_basis_points(text, bp):
    assert parse_discount(text) == bp


@pytest.mark.parametrize("text", ["-0.1", "150", "150%"])
def test_bad_discounts(text):
    with pytest.raises(RowError):
        parse_discount(text)


def test_flags():
    assert [parse_flag(s, "promo") for s in ("1", "Yes", "TRUE", "0", "no", "")] == [
        True, True, True, False, False, False,
    ]  # fmt: skip
    with pytest.raises(RowError, match="is not yes/no"):
        parse_flag("maybe", "promo")


def test_flags_read_like_every_other_surface():
    # Issue 15: one boolean vocabulary for the grid, the API, the forms and the importer.
    assert [parse_flag(s, "promo") for s in ("on", " OFF ", "False", "f")] == [
        True, False, False, False,
    ]  # fmt: skip
    with pytest.raises(RowError, match="promo flag '2' is not yes/no"):
        parse_flag("2", "promo flag")


def test_text_is_kept_verbatim_but_bounded():
    assert bounded("  <b>x</b>  ", "name", 10) == "<b>x</b>"
    assert bounded("   ", "name", 10) is None
    with pytest.raises(RowError, match="name is 11 characters long; at most 10"):
        bounded("x" * 11, "name", 10)
