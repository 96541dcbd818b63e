"""The one strict boolean reading (dashapp.validation.parse_bool), used by every surface."""

import pytest

from dashapp.validation import InputError, parse_bool


def test_words_numbers_and_real_bools():
    words = ["true", "Yes", " ON ", "1", "false", "NO", "off", "0", "", "False"]
    assert [parse_bool(w, "Promo") for w in words] == [
        True, True, True, True, False, False, False, False, False, False,
    ]  # fmt: skip
    assert [parse_bool(v, "Promo") for v in (True, False, 1, 0)] == [True, False, True, False]


@pytest.mark.parametrize("raw", ["maybe", "2", 2, -1, 0.5, None, [], {"x": 1}])
def test_anything_else_is_a_field_error(raw):
    with pytest.raises(InputError, match=r"^Allow backorder must be yes or no \(true/false"):
        parse_bool(raw, "Allow backorder")
