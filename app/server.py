"""The Dash app, built once per process: ``gunicorn app.server:server`` in production, ``python -m app`` locally.

Importing any other part of ``app`` (the Scene, the link, the export formats) builds no Dash app.
"""

from __future__ import annotations

from dash import Dash
from threadpoolctl import threadpool_limits

from app.layout import layout  # imports every feature package; each registers its callbacks
from app.serving import dash_ids
from app.serving.caching import cache_immutable
from app.serving.compression import compress
from app.serving.language import bind_language
from app.serving.request_guard import guard
from app.serving.security import secure


def create_app() -> Dash:
    # A request's linear algebra is 2 x 2 (curvatures, the minima search): OpenBLAS's threads only
    # contend with the other workers' (a thousandfold slower L-BFGS-B on a loaded 2-core machine).
    threadpool_limits(limits=1, user_api="blas")
    dash_ids.install()  # Dash's text for the panel's ~130 pattern-matched ids, kept instead of rewritten
    dash_app = Dash(
        __name__,
        title="Gradient-descent playground",
        suppress_callback_exceptions=True,  # the control panel is built from the URL after load
        serve_locally=True,  # Bootstrap's CSS is in assets/: no CDN needed (offline classrooms, strict CSP)
    )
    dash_app.layout = layout
    bind_language(dash_app)  # lang= in the link, else the browser's Accept-Language (i18n)
    secure(dash_app)
    guard(dash_app)
    compress(dash_app)  # brotli or gzip (off with COMPRESS=0)
    cache_immutable(dash_app)  # fingerprinted bundles and assets: cached for a year
    # Dash sets up its callback map on the first request, but marks it done before filling it: in a
    # threaded worker a second first-request could then find no callbacks. Do it now, once.
    with dash_app.server.test_request_context("/"):
        dash_app._setup_server()
    return dash_app


app = create_app()
server = app.server
