"""Country names as businesses write them ("USA", "UK") mapped to ISO 3166 alpha-3 codes."""

from __future__ import annotations

from functools import lru_cache

import pycountry

# Names that pycountry's fuzzy search gets wrong or does not know.
_ALIASES = {
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
    if key in _ALIASES:
        return _ALIASES[key]
    country = pycountry.countries.get(name=name.strip()) or pycountry.countries.get(
        alpha_3=name.strip().upper()
    )
    if country is None:
        try:
            country = pycountry.countries.search_fuzzy(name.strip())[0]
        except LookupError:
            return None
    return country.alpha_3
