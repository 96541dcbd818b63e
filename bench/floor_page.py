"""The floor of bench.page_load: a minimal Dash page with one dcc.Graph the size of an Overview
chart, served the same way as the app (`gunicorn bench.floor_page:server`)."""

from dash import Dash, dcc

app = Dash(__name__, title="floor", compress=True)  # sent like the app's pages
app.layout = dcc.Graph(
    id="floor",
    figure={
        "data": [{"type": "bar", "x": [f"M{i}" for i in range(1, 13)], "y": list(range(12))}],
        "layout": {"height": 300},
    },
    style={"height": "300px"},
)
server = app.server
with server.test_request_context("/"):  # as dashapp.factory.prepare_scripts: no first-request race
    app._setup_server()  # noqa: SLF001
