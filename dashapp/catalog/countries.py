"""The countries a customer can be in: ISO 3166 names plus the spellings already in the data."""

from __future__ import annotations

from functools import lru_cache

import pycountry
from sqlalchemy import Connection, select

from dashapp.store.models import Customer

customers = Customer.__table__


@lru_cache(maxsize=1)
def _iso_names() -> dict[str, str]:
    """Lower-cased name, official name, common name and codes -> the name people use."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        display = getattr(country, "common_name", None) or country.name
        for key in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, key, None)
            if value:
                names.setdefault(value.lower(), display)
    # Full names win over codes when both spell the same thing.
    for country in pycountry.countries:
        display = getattr(country, "common_name", None) or country.name
        names[country.name.lower()] = display
    return names


def _in_use(conn: Connection) -> list[str]:
    rows = conn.execute(
        select(customers.c.country).where(customers.c.country.is_not(None)).distinct()
    )
    return [r[0] for r in rows if r[0] and r[0].strip()]


def known_countries(conn: Connection) -> list[str]:
    """The choices for the country picker: names in use first spelling, then ISO names, sorted."""
    in_use = _in_use(conn)
    seen = {c.lower() for c in in_use}
    iso = sorted({v for v in _iso_names().values() if v.lower() not in seen})
    return sorted(in_use + iso, key=str.lower)


def canonical_country(conn: Connection, raw: str) -> str | None:
    """The stored spelling for what was typed ("usa" -> "USA" if the data says so), or None."""
    text = raw.strip().lower()
    if not text:
        return None
    for name in _in_use(conn):
        if name.lower() == text:
            return name
    return _iso_names().get(text)
