"""RFM scores are computed once per view and data version, also under concurrent requests."""

import threading
import time

from dashapp.filters import Filters
from dashapp.store.db import write_transaction
from dashapp.store.version import bump_data_version
from dashapp.ui import score_cache
from dashapp.ui.score_cache import ScoresCache
from tests.segments.people import seed_people


def test_same_view_is_scored_once_until_the_data_changes(engine):
    seed_people(engine)
    cache = ScoresCache(engine)
    first = cache.scores(Filters())
    assert len(first) == 10  # PEOPLE: ten scored customers
    assert cache.scores(Filters()) is first
    assert cache.computed == 1
    france = cache.scores(Filters(countries=("France",)))
    assert set(france["name"]) == {"Alpine Models", "Bayside Toys", "Harbour Minis"}
    assert cache.computed == 2
    with write_transaction(engine) as conn:
        bump_data_version(conn)
    again = cache.scores(Filters())
    assert again is not first and len(again) == 10
    assert cache.computed == 3


def test_least_recently_used_view_is_dropped(engine):
    seed_people(engine)
    cache = ScoresCache(engine, size=2)
    views = [Filters(countries=(c,)) for c in ("France", "USA", "Norway")]
    for f in views:
        cache.scores(f)
    cache.scores(views[2])
    cache.scores(views[1])
    assert cache.computed == 3
    cache.scores(views[0])  # evicted by Norway
    assert cache.computed == 4


def test_concurrent_requests_for_one_view_share_one_query(engine, monkeypatch):
    seed_people(engine)
    real = score_cache.rfm_scores

    def slow_rfm_scores(conn, f):
        time.sleep(0.3)  # a slow query, so the four requests overlap
        return real(conn, f)

    monkeypatch.setattr(score_cache, "rfm_scores", slow_rfm_scores)
    cache = ScoresCache(engine)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.scores(Filters()))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.computed == 1
    assert all(r is results[0] for r in results)


def test_a_sales_users_own_view_is_another_entry(engine):
    # PEOPLE's orders have no created_by: a sales user's own view scores nobody, and must never
    # be handed the full view someone else asked for first (the query string omits created_by).
    seed_people(engine)
    cache = ScoresCache(engine)
    assert len(cache.scores(Filters())) == 10
    assert len(cache.scores(Filters(created_by="sam"))) == 0
    assert cache.computed == 2
