"""The detector finds the drops the demo generator plants (issue 5's check on demo data).

At 1M orders the planted drops (a best-selling product, a category and a large country falling
to ~3 % of their usual revenue on one day) stand out of the daily noise; on smaller demo sets a
single product's day is too noisy for any robust test to call, so this runs at full size. The
demo fills only the daily rollups `scan` reads (its total, category, product and country
scopes): the rest of the rollups, the activity chains above all, are most of a full load's time
and play no part here. A scan that read another table would find it empty, and miss the drops.
"""

from datetime import date

from dashapp.analytics.anomalies import scan
from dashapp.demo import generate_demo, injected_drops
from dashapp.store.db import make_engine
from tests.databases import migrate

END = date(2025, 12, 31)
SCANNED = ("rollup_day_country", "rollup_day_category_country", "rollup_day_product")


def test_default_thresholds_find_every_planted_drop(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/demo.db")
    migrate(engine)
    generate_demo(engine, orders=1_000_000, seed=42, end=END, rollups_too=SCANNED)
    planted = {(d.scope, d.key, d.day) for d in injected_drops(42, END)}
    with engine.connect() as conn:
        found = scan(conn, since=date(2025, 1, 1))
    flagged = {(a.scope, a.key, a.day) for a in found}
    assert planted <= flagged
    # And the detector is not crying wolf: a handful of other alerts over a whole year.
    assert len(flagged - planted) <= 24
    engine.dispose()
