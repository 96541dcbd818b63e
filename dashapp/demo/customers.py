"""Demo customers: people and companies in twenty countries, with unique e-mail addresses."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

# fmt: off
# (country, territory, share, company suffix, phone prefix, cities with their state or region)
COUNTRIES: tuple[tuple[str, str, float, str, str, tuple[tuple[str, str | None], ...]], ...] = (
    ("USA", "NA", 0.30, "Inc.", "+1", (("New York", "NY"), ("San Francisco", "CA"),
     ("Boston", "MA"), ("Chicago", "IL"), ("Los Angeles", "CA"), ("Seattle", "WA"))),
    ("Germany", "EMEA", 0.08, "GmbH", "+49", (("Berlin", None), ("München", "Bayern"),
     ("Hamburg", None), ("Köln", "NRW"), ("Frankfurt", "Hessen"))),
    ("UK", "EMEA", 0.07, "Ltd", "+44", (("London", None), ("Manchester", None),
     ("Liverpool", None), ("Edinburgh", "Scotland"), ("Bristol", None))),
    ("France", "EMEA", 0.07, "SARL", "+33", (("Paris", None), ("Lyon", None),
     ("Marseille", None), ("Nantes", None), ("Lille", None), ("Toulouse", None))),
    ("Spain", "EMEA", 0.05, "S.L.", "+34", (("Madrid", None), ("Barcelona", None),
     ("Sevilla", None), ("Valencia", None))),
    ("Australia", "APAC", 0.05, "Pty Ltd", "+61", (("Melbourne", "Victoria"),
     ("Sydney", "NSW"), ("Brisbane", "Queensland"), ("Perth", "WA"))),
    ("Canada", "NA", 0.05, "Inc.", "+1", (("Toronto", "ON"), ("Vancouver", "BC"),
     ("Montréal", "QC"), ("Calgary", "AB"))),
    ("Japan", "Japan", 0.04, "K.K.", "+81", (("Tokyo", None), ("Osaka", None),
     ("Yokohama", None), ("Kyoto", None))),
    ("Italy", "EMEA", 0.04, "S.r.l.", "+39", (("Milano", None), ("Roma", None),
     ("Torino", None), ("Bergamo", None), ("Reggio Emilia", None))),
    ("Netherlands", "EMEA", 0.03, "B.V.", "+31", (("Amsterdam", None), ("Rotterdam", None),
     ("Utrecht", None))),
    ("Sweden", "EMEA", 0.03, "AB", "+46", (("Stockholm", None), ("Göteborg", None),
     ("Malmö", None), ("Luleå", None))),
    ("Norway", "EMEA", 0.02, "AS", "+47", (("Oslo", None), ("Bergen", None),
     ("Stavanger", None))),
    ("Denmark", "EMEA", 0.02, "ApS", "+45", (("København", None), ("Aarhus", None),
     ("Odense", None))),
    ("Finland", "EMEA", 0.02, "Oy", "+358", (("Helsinki", None), ("Espoo", None),
     ("Oulu", None))),
    ("Belgium", "EMEA", 0.02, "BV", "+32", (("Bruxelles", None), ("Antwerpen", None),
     ("Charleroi", None))),
    ("Switzerland", "EMEA", 0.02, "AG", "+41", (("Zürich", None), ("Genève", None),
     ("Bern", None))),
    ("Austria", "EMEA", 0.02, "GmbH", "+43", (("Wien", None), ("Graz", None),
     ("Salzburg", None))),
    ("Ireland", "EMEA", 0.02, "Ltd", "+353", (("Dublin", None), ("Cork", None),
     ("Galway", None))),
    ("Singapore", "APAC", 0.02, "Pte Ltd", "+65", (("Singapore", None),)),
    ("New Zealand", "APAC", 0.03, "Ltd", "+64", (("Auckland", None), ("Wellington", None),
     ("Christchurch", None))),
)
# fmt: on
COUNTRY_NAMES = tuple(c[0] for c in COUNTRIES)

# fmt: off
# First and last names by language area; each country draws from its own.
_NAMES = {
    "en": (
        ("James", "Mary", "Robert", "Linda", "Michael", "Susan", "David", "Karen", "Emma",
         "Oliver", "Sophie", "Jack", "Chloe", "Liam", "Grace", "Noah", "Olivia", "Daniel"),
        ("Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Clarke", "Walker",
         "Young", "King", "Hall", "Murphy", "Kelly", "Campbell", "Stewart", "Mitchell"),
    ),
    "de": (
        ("Hans", "Anna", "Lukas", "Lea", "Jonas", "Marie", "Felix", "Laura", "Paul", "Mia",
         "Stefan", "Julia", "Matthias", "Sabine"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
         "Hoffmann", "Schulz", "Koch", "Bauer", "Huber", "Gruber"),
    ),
    "fr": (
        ("Jean", "Marie", "Pierre", "Camille", "Louis", "Léa", "Hugo", "Chloé", "Lucas",
         "Manon", "Julien", "Élodie", "Thomas", "Inès"),
        ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
         "Leroy", "Moreau", "Lefèvre", "Peeters", "Janssens", "Girard"),
    ),
    "es": (
        ("José", "María", "Antonio", "Carmen", "Javier", "Lucía", "Diego", "Elena", "Pablo",
         "Sofía", "Miguel", "Paula"),
        ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
         "Pérez", "Gómez", "Ruiz", "Díaz", "Moreno"),
    ),
    "it": (
        ("Giuseppe", "Giulia", "Marco", "Francesca", "Luca", "Chiara", "Matteo", "Sara",
         "Alessandro", "Valentina", "Paolo", "Elena"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
         "Marino", "Greco", "Bruno", "Gallo"),
    ),
    "nl": (
        ("Jan", "Emma", "Daan", "Sanne", "Bram", "Lotte", "Thijs", "Fleur", "Ruben", "Anouk"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Mulder",
         "de Boer", "Meijer"),
    ),
    "nordic": (
        ("Erik", "Anna", "Lars", "Ingrid", "Mikael", "Sofia", "Anders", "Maja", "Johan",
         "Freja", "Mikko", "Aino", "Henrik", "Sigrid"),
        ("Andersson", "Johansson", "Karlsson", "Nilsen", "Hansen", "Jensen", "Nielsen",
         "Larsen", "Virtanen", "Korhonen", "Lindqvist", "Berg", "Holm", "Dahl"),
    ),
    "ja": (
        ("Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Yuto", "Sakura", "Daiki", "Mei"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
         "Kobayashi", "Kato"),
    ),
    "sg": (
        ("Wei", "Mei Ling", "Jun", "Hui Min", "Arjun", "Priya", "Kai", "Xin Yi", "Ryan",
         "Nur"),
        ("Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Koh", "Teo"),
    ),
}
# fmt: on
_LANGUAGE = {
    "Germany": "de",
    "Austria": "de",
    "Switzerland": "de",
    "France": "fr",
    "Belgium": "fr",
    "Spain": "es",
    "Italy": "it",
    "Netherlands": "nl",
    "Sweden": "nordic",
    "Norway": "nordic",
    "Denmark": "nordic",
    "Finland": "nordic",
    "Japan": "ja",
    "Singapore": "sg",
}  # fmt: skip
_TRADES = (
    "Collectables", "Gifts", "Model Co.", "Replicas", "Hobbies", "Toys", "Miniatures",
    "Diecast", "Auto Models", "Scale Models", "Souvenirs", "Classics",
)  # fmt: skip
_STREETS = ("Main St", "Market St", "Station Rd", "High St", "Park Ave", "Harbour Rd", "Mill Ln")
SEGMENTS = ("Consumer", "Small Business", "Wholesale")
SEGMENT_SHARES = (0.70, 0.22, 0.08)


@dataclass(frozen=True)
class Customers:
    """Customers as parallel arrays; index i is customer id i + 1."""

    country: np.ndarray  # int codes into COUNTRY_NAMES
    segment: np.ndarray  # int codes into SEGMENTS
    columns: dict[str, np.ndarray]  # the customers table's columns, ready to load

    def __len__(self) -> int:
        return len(self.country)


def customer_count(orders: int) -> int:
    """About one customer per ten orders, at least 50 and at most 100k."""
    return int(np.clip(orders // 10, 50, 100_000))


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def make_customers(rng: np.random.Generator, count: int) -> Customers:
    """`count` customers, each with a country, city, contact and a unique e-mail."""
    shares = np.array([c[2] for c in COUNTRIES])
    country = rng.choice(len(COUNTRIES), count, p=shares / shares.sum())
    if count >= len(COUNTRIES):
        # Every country has at least one customer, even in a small data set.
        country[rng.choice(count, len(COUNTRIES), replace=False)] = np.arange(len(COUNTRIES))
    segment = rng.choice(len(SEGMENTS), count, p=SEGMENT_SHARES)
    first_pick, last_pick, trade_pick = rng.integers(0, 1 << 30, (3, count))
    city_pick, street_pick = rng.integers(0, 1 << 30, (2, count))
    house, postcode = rng.integers(1, 200, count), rng.integers(1000, 99999, count)
    phone = rng.integers(1_000_000, 9_999_999, count)
    rows = []
    for i in range(count):
        c = int(country[i])
        name_c, territory, _, suffix, prefix, cities = COUNTRIES[c]
        firsts, lasts = _NAMES[_LANGUAGE.get(name_c, "en")]
        first = firsts[first_pick[i] % len(firsts)]
        last = lasts[last_pick[i] % len(lasts)]
        city, state = cities[city_pick[i] % len(cities)]
        seg = int(segment[i])
        if seg == 0:
            name = f"{first} {last}"
        else:
            name = f"{last} {_TRADES[trade_pick[i] % len(_TRADES)]} {suffix}"
        rows.append(
            {
                "id": i + 1,
                "name": name,
                "contact_first_name": first,
                "contact_last_name": last,
                # Reserved example domain; the customer number keeps every address unique.
                "email": f"{_ascii(first)}.{_ascii(last)}.{i + 1}@example.com",
                "phone": f"{prefix} {int(phone[i])}",
                "address_line1": f"{int(house[i])} {_STREETS[street_pick[i] % len(_STREETS)]}",
                "city": city,
                "state": state,
                "postal_code": f"{int(postcode[i]):05d}",
                "country": name_c,
                "territory": territory,
                "segment": SEGMENTS[seg],
            }
        )
    columns = {key: np.array([r[key] for r in rows], dtype=object) for key in rows[0]}
    columns["id"] = np.arange(1, count + 1, dtype=np.int64)
    return Customers(country=country, segment=segment, columns=columns)
