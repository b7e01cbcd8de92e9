"""Long-lived browser caching for files whose address changes whenever their content does.

- Component bundles under ``/_dash-component-suites/`` with a fingerprint in the file name
  (``dash_renderer.v4_4_1m1795701794.min.js``: package version and file time). Dash itself sends
  only ``Cache-Control: max-age=31536000`` for them.
- ``/assets/`` files requested with Dash's ``?m=<file time>`` query (the page always links them
  so). Flask sends ``no-cache`` for them, so every visit revalidated each one.

Both get ``Cache-Control: public, max-age=31536000, immutable``: a second visit loads them from
the browser's cache without asking. Everything else keeps what it has: the page and callback
answers carry no Cache-Control and no validator, so browsers do not cache them; unfingerprinted
bundles (Dash's lazily loaded chunks) keep Dash's ETag revalidation (a 304 when unchanged).
"""

from __future__ import annotations

import flask
from dash import Dash
from dash.fingerprint import check_fingerprint

IMMUTABLE = "public, max-age=31536000, immutable"  # one year, the conventional maximum


def is_immutable(path: str, args, suites: str = "/_dash-component-suites/", assets: str = "/assets/") -> bool:
    """Whether the resource at ``path`` (query ``args``) is addressed by its version: a
    fingerprinted bundle under ``suites`` or a file under ``assets`` with ``?m=``."""
    if path.startswith(suites):
        return check_fingerprint(path[len(suites) :])[1]
    return path.startswith(assets) and bool(args.get("m"))


def cache_immutable(dash_app: Dash) -> None:
    """Mark the responses above as cacheable for a year (200s and their 304 revalidations)."""
    prefix = dash_app.config.routes_pathname_prefix
    suites = prefix + "_dash-component-suites/"
    assets = prefix + dash_app.config.assets_url_path.strip("/") + "/"

    @dash_app.server.after_request
    def _long_lived(response: flask.Response) -> flask.Response:
        request = flask.request
        if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
            return response
        if is_immutable(request.path, request.args, suites, assets):
            response.headers["Cache-Control"] = IMMUTABLE
        return response
