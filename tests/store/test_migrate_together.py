"""Two processes starting on the same database at once (gunicorn workers without --preload
each import app.py, which migrates) both come up: the second waits for the first and finds the
schema current. Before, the second failed with "database is locked" on a SQLite file being
migrated (seen when two bench workers started on a 1M-order database a migration behind)."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import create_engine

from dashapp.store.migrate import current_revision, head_revision

_MIGRATE = (
    "import sys\n"
    "from sqlalchemy import create_engine\n"
    "from dashapp.store.migrate import upgrade\n"
    "upgrade(create_engine(sys.argv[1], connect_args={'timeout': 1}))\n"
)


def test_two_processes_migrate_one_sqlite_file_at_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    workers = [
        subprocess.Popen([sys.executable, "-c", _MIGRATE, url], stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    errors = [w.communicate(timeout=300)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], errors
    engine = create_engine(url)
    assert current_revision(engine) == head_revision()
    engine.dispose()
    # Nothing of the lock stays beside the database (a bench database is built under another
    # name and renamed).
    assert sorted(p.name for p in tmp_path.iterdir() if "lock" in p.name) == []
