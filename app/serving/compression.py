"""Compress responses on the wire (flask-compress): brotli when the browser accepts it, else gzip.

Covers the page (text/html), Dash's JSON (callback answers, layout, dependencies), the component
bundles and assets (JavaScript, CSS) and the favicon; bodies under ``MIN_SIZE`` bytes go as they
are (saving a few hundred bytes saves no packet). Every response says ``Vary: Accept-Encoding``.
Browsers offer brotli only over https (and to localhost): over plain http they get gzip.

Two levels, because the two kinds of response cost differently:

- Callback answers (and the page, layout, assets) are compressed afresh for every request, so the
  level is CPU per request, and a lecture hall's server is short of CPU first (``python -m
  bench.request_cost`` prints both for the answers of ``bench.load``). A whole-scene answer (197 KB
  of JSON): brotli quality 1 takes 1.0 ms for 78.6 KB, 2 takes 1.9 ms for 75.4 KB, 3 takes 2.3 ms
  for 74.8 KB, 4 takes 3.4 ms for 74.4 KB (11: ~350 ms for 65.5 KB); gzip 1 takes 4.4 ms for 83.2 KB,
  4 takes 6.1 ms for 79.8 KB (one learning rate's Patch, 29 KB: brotli 1 0.17 ms for 10.1 KB, 3 0.37
  ms for 9.1 KB). Quality 1 and gzip 1: half the CPU of quality 3 (~1 ms of a ~11 ms answer) and
  30 % less than gzip 4, for 4-5 % more bytes. The 1 MB window is enough for any answer; the 4 MB
  default kept ~30 MB more memory across the workers under load.
- Dash's component bundles never change while the process runs: ``BundleCache`` compresses each
  once per process at a high level and keeps it. plotly.min.js (4.7 MB): 1,205 KB at brotli 9 in
  0.46 s once, against 1,449 KB at quality 3 (more at 1) for every visitor. It also keeps revalidations cheap:
  Dash compares a lazily loaded bundle's ETag before flask-compress appends ``:br`` to it, so each
  304 for plotly.min.js used to come after compressing the whole file again (~0.1 s of CPU).

Dash's own ``compress=True`` is not used: it enables flask-compress with its defaults before the
app could configure it (zstd first; it sets ``COMPRESS_ALGORITHM`` after flask-compress has read
it). ``COMPRESS=0`` in the environment turns compression off (for comparisons).
"""

from __future__ import annotations

import gzip
import os
import pkgutil
import threading

import brotli
import flask
from dash import Dash
from dash.fingerprint import check_fingerprint
from flask_compress import Compress

ALGORITHMS = ["br", "gzip"]  # the first one the request's Accept-Encoding allows
BR_LEVEL, BR_WINDOW, GZIP_LEVEL = 1, 20, 1  # per request
BUNDLE_BR_LEVEL, BUNDLE_BR_WINDOW, BUNDLE_GZIP_LEVEL = 9, 22, 9  # once per bundle and process
MIN_SIZE = 500  # bytes
SUITES_ENDPOINT = "_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"
ASSETS_ENDPOINT = "_dash_assets.static"  # Dash's blueprint for assets/ (files streamed from disk)


def enabled(env: dict | None = None) -> bool:
    env = os.environ if env is None else env
    return env.get("COMPRESS", "1").strip() != "0"


def compress_bundle(data: bytes, algorithm: str) -> bytes:
    if algorithm == "br":
        return brotli.compress(data, quality=BUNDLE_BR_LEVEL, lgwin=BUNDLE_BR_WINDOW)
    return gzip.compress(data, BUNDLE_GZIP_LEVEL, mtime=0)


def bundle_key(request: flask.Request) -> str:
    """flask-compress's cache key: ``package/file`` of a component bundle (its fingerprint
    removed: same file, same bytes), "" for any other response (not cached)."""
    rule = request.url_rule.rule if request.url_rule else ""
    args = request.view_args or {}
    if request.method != "GET" or not rule.endswith(SUITES_ENDPOINT):
        return ""
    return f"{args['package_name']}/{check_fingerprint(args['fingerprinted_path'])[0]}"


class BundleCache:
    """flask-compress's cache backend: component bundles compressed at the bundle level, per process.

    flask-compress asks ``get("<algorithm>;<key>")`` for every response it compresses, and only
    after Dash answered 200, i.e. for a file Dash has registered; ``bundle_key`` leaves the key
    empty for anything but a bundle. A miss reads the file as Dash does and compresses it here;
    ``set`` (flask-compress's own result, at the per-request level) is not kept. The files a
    process serves are a fixed set; ``MAX_ENTRIES`` bounds the cache anyway.
    """

    MAX_ENTRIES = 128

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}
        self._lock = threading.Lock()  # two first visitors at once: plotly.min.js compressed once

    def get(self, key: str) -> bytes | None:
        algorithm, _, file = key.partition(";")
        if not file or algorithm not in ALGORITHMS:
            return None
        found = self._data.get(key)
        if found is None:
            with self._lock:
                found = self._data.get(key)
                if found is None and len(self._data) < self.MAX_ENTRIES:
                    package, _, path = file.partition("/")
                    found = self._data[key] = compress_bundle(pkgutil.get_data(package, path), algorithm)
        return found

    def set(self, key: str, value: bytes) -> None:
        return None


def compress(dash_app: Dash, env: dict | None = None) -> Compress | None:
    """Compress the responses of ``dash_app.server`` as above (None when ``COMPRESS=0``)."""
    if not enabled(env):
        return None
    server = dash_app.server
    server.config.update(
        COMPRESS_ALGORITHM=ALGORITHMS,
        # assets/ files are streamed from disk; flask-compress leaves gzip out of streams by default
        COMPRESS_ALGORITHM_STREAMING=ALGORITHMS,
        COMPRESS_BR_LEVEL=BR_LEVEL,
        COMPRESS_BR_WINDOW=BR_WINDOW,
        COMPRESS_LEVEL=GZIP_LEVEL,
        COMPRESS_MIN_SIZE=MIN_SIZE,
        COMPRESS_CACHE_BACKEND=BundleCache,
        COMPRESS_CACHE_KEY=bundle_key,
        # An asset's ETag gets the algorithm appended ("...:br"); answer If-None-Match with a 304
        # after compressing, as flask-compress does for Flask's own static files.
        COMPRESS_STREAMING_ENDPOINT_CONDITIONAL=["static", ASSETS_ENDPOINT],
    )
    return Compress(server)
