"""The countries a customer can be in: ISO 3166 names plus the spellings already in the data,
and the ISO 3166 alpha-3 code of a country name as businesses write it ("USA", "UK") for
the map."""

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


# Names that pycountry's fuzzy search gets wrong or does not know.
_ISO3_ALIASES = {
    "usa": "USA",
    "us": "USA",
    "united states": "USA",
    "america": "USA",
    "uk": "GBR",
    "great britain": "GBR",
    "england": "GBR",
    "russia": "RUS",
    "south korea": "KOR",
    "korea": "KOR",
    "iran": "IRN",
    "vietnam": "VNM",
    "taiwan": "TWN",
}


@lru_cache(maxsize=4096)
def iso3(name: str | None) -> str | None:
    """The alpha-3 code of a country name, or None when it is not a country we know."""
    if not name:
        return None
    key = name.strip().lower()
    if key in _ISO3_ALIASES:
        return _ISO3_ALIASES[key]
    country = pycountry.countries.get(name=name.strip()) or pycountry.countries.get(
        alpha_3=name.strip().upper()
    )
    if country is None:
        try:
            country = pycountry.countries.search_fuzzy(name.strip())[0]
        except LookupError:
            return None
    return country.alpha_3
