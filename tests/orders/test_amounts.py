"""Line arithmetic and input parsing, worked out by hand; no database."""

import pytest

from dashapp.orders import line_amount_cents
from dashapp.validation import InputError, parse_int, parse_money_cents, parse_percent_bp


@pytest.mark.parametrize(
    ("quantity", "price_cents", "discount_bp", "expected"),
    [
        (3, 5000, 1000, 13500),  # 3 x 50.00 x 0.90 = 135.00
        (1, 5, 5000, 3),  # 1 x 0.05 x 0.50 = 0.025 -> half-up 0.03
        (1, 1, 2500, 1),  # 1 x 0.01 x 0.75 = 0.0075 -> 0.01
        (1, 1, 6000, 0),  # 1 x 0.01 x 0.40 = 0.004 -> 0.00
        (7, 725, 1234, 4449),  # 7 x 7.25 x 0.8766 = 44.48745 -> 44.49
        (2, 9999, 10000, 0),  # 100 % off
    ],
)
def test_line_amount_rounds_half_up_to_the_cent(quantity, price_cents, discount_bp, expected):
    assert line_amount_cents(quantity, price_cents, discount_bp) == expected


@pytest.mark.parametrize(
    ("raw", "cents"),
    [("12.50", 1250), ("1,234.5", 123450), (" $3 ", 300), (12.5, 1250), (7, 700), ("0", 0)],
)
def test_money_parses_to_cents(raw, cents):
    assert parse_money_cents(raw, "Price") == cents


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-1", "Price must be 0 or more"),
        ("12.345", "Price can have at most 2 decimal places"),
        ("abc", "Price must be a number, e.g. 12.50"),
        ("NaN", "Price must be a number, e.g. 12.50"),
        ("", "Price is required"),
        (True, "Price must be a number, e.g. 12.50"),
    ],
)
def test_bad_money_is_refused(raw, message):
    with pytest.raises(InputError) as exc:
        parse_money_cents(raw, "Price")
    assert str(exc.value) == message


def test_percent_and_quantity_parsers():
    assert parse_percent_bp("12.5 %", "Discount") == 1250
    assert parse_percent_bp(None, "Discount") == 0
    assert parse_int("2.0", "Quantity", minimum=1) == 2
    for raw, message in [
        ("150", "Discount must be between 0 and 100 %"),
        ("-1", "Discount must be between 0 and 100 %"),
        ("1.005", "Discount can have at most 2 decimal places"),
    ]:
        with pytest.raises(InputError, match=message):
            parse_percent_bp(raw, "Discount")
    for raw, message in [
        ("2.5", "Quantity must be a whole number"),
        ("0", "Quantity must be greater than 0"),
        ("2000000", "Quantity must be at most 1,000,000"),
    ]:
        with pytest.raises(InputError, match=message):
            parse_int(raw, "Quantity", minimum=1)
