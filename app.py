"""Entry point: `python app.py` serves the dashboard at http://127.0.0.1:8050.

It creates the schema when needed and seeds demo orders into an empty database first.
SALES_PULSE_DEMO=1 (set by `make run`) signs every visitor in as the demo admin.
"""

from __future__ import annotations

import os

from dashapp.server import prepare_database
from dashapp.store.db import get_engine
from dashapp.ui import create_app

DEMO = os.environ.get("SALES_PULSE_DEMO") == "1"

engine = get_engine()
prepare_database(
    engine, demo_orders=int(os.environ.get("SALES_PULSE_DEMO_ORDERS", "50000")), demo=DEMO
)
app = create_app(engine, demo=DEMO)
server = app.server  # for gunicorn: `gunicorn app:server`

if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8050")),
        debug=os.environ.get("SALES_PULSE_DEBUG") == "1",
    )
