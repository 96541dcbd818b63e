"""The `shop` fixture (tests/shop.py) for every test in this folder."""

from tests.shop import shop  # noqa: F401
