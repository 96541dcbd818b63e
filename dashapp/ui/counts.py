"""Counts as a person reads them: thousands separators and the noun in the right number."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 user', '0 users', '16,193 products' ('1 category', '2 categories' with `plural`)."""
    word = noun if n == 1 else (plural or f"{noun}s")
    return f"{n:,} {word}"
