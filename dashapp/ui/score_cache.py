"""RFM scores computed once per view and shared by the insight page's callbacks.

`rfm_scores` is one GROUP BY over every matching order line (seconds at 1M orders), and the
page needs the result in several callbacks (figures, the member list, the CSV export). Keeping
the per-customer frame in the browser (dcc.Store) would ship up to 100k rows back and forth, so
it stays here, keyed by the whole filters (created_by included: a sales user's own view is
another key) and the data version: any committed write, by any worker, changes the key. Each
worker keeps its own few frames in memory and fills them from the shared answer cache, so
several workers score one view once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd
from sqlalchemy import Engine

from dashapp.filters import Filters
from dashapp.segments import rfm_scores
from dashapp.store.version import data_version
from dashapp.web.answers import cached


class ScoresCache:
    """A small LRU of `rfm_scores` frames; concurrent requests for one view compute it once."""

    def __init__(self, engine: Engine, size: int = 4) -> None:
        self.engine = engine
        self.size = size
        self.computed = 0  # how many times rfm_scores ran (read by the tests)
        self._entries: OrderedDict[tuple[Filters, str], pd.DataFrame] = OrderedDict()
        self._pending: dict[tuple[Filters, str], threading.Lock] = {}
        self._lock = threading.Lock()

    def scores(self, f: Filters) -> pd.DataFrame:
        """The scored customers under `f`. Shared: callers must not modify the frame."""
        with self.engine.connect() as conn:
            # The Filters value itself, not f.to_query(): the query string leaves out created_by.
            key = (f, data_version(conn))
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            # The page asks for the same view from two callbacks at once on load: the second
            # waits for the first instead of running the same heavy query beside it.
            key_lock = self._pending.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._entries:
                    return self._entries[key]
            try:
                scores = cached(self.engine, "rfm_scores", f, lambda: self._score(f))
                with self._lock:
                    self._entries[key] = scores
                    while len(self._entries) > self.size:
                        self._entries.popitem(last=False)
            finally:
                with self._lock:
                    self._pending.pop(key, None)
        return scores

    def _score(self, f: Filters) -> pd.DataFrame:
        with self.engine.connect() as conn:
            scores = rfm_scores(conn, f)
        with self._lock:
            self.computed += 1
        return scores
