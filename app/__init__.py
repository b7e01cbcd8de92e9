"""The Dash app: ``python -m app`` serves it locally; ``gunicorn app.server:server`` in production."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash

from app import callbacks  # noqa: F401  (registers the callbacks)
from app.layout import layout


def create_app() -> Dash:
    dash_app = Dash(
        __name__,
        title="Gradient-descent playground",
        external_stylesheets=[dbc.themes.BOOTSTRAP],
        suppress_callback_exceptions=True,  # the control panel is built from the URL after load
        serve_locally=True,
    )
    dash_app.layout = layout
    return dash_app


app = create_app()
server = app.server
