"""Entry point: `python app.py` serves the dashboard at http://127.0.0.1:8050 with gunicorn
(2 workers x 4 threads); SALES_PULSE_DEBUG=1 serves with Dash's debug server instead.

It creates the schema when needed and seeds demo orders into an empty database first.
SALES_PULSE_DEMO=1 (set by `make run`) signs every visitor in as the demo admin. Every setting
comes from the environment through dashapp.settings.
"""

from __future__ import annotations

from dashapp.factory import create_app
from dashapp.server import prepare_database, serve
from dashapp.settings import Settings
from dashapp.store.db import get_engine

settings = Settings.from_env()
engine = get_engine()
prepare_database(engine, demo_orders=settings.demo_orders, demo=settings.demo)
app = create_app(engine, demo=settings.demo)
server = app.server  # for gunicorn: `gunicorn app:server`

if __name__ == "__main__":
    from dashapp.digests.scheduler import start_scheduler

    start_scheduler(engine, settings)  # scheduled digests, unless Celery beat sends them
    if settings.debug:
        app.run(host=settings.host, port=settings.port, debug=True)
    else:
        serve(server, settings.host, settings.port)
