"""Light on the wire, under real gunicorn: compressed responses (brotli, else gzip) and long-lived
caching of the files whose address carries their version."""

import gzip
import json
import pkgutil
import re
import urllib.error
import urllib.request

import brotli
import pytest

from app.serving.caching import IMMUTABLE, is_immutable
from app.serving.compression import (
    BR_LEVEL,
    BR_WINDOW,
    GZIP_LEVEL,
    MIN_SIZE,
    BundleCache,
    compress_bundle,
    enabled,
)
from app.state.scene import Scene
from bench import dash_requests as dr
from bench.serve import gunicorn

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}
BROWSER = "gzip, deflate, br, zstd"  # what Chromium sends


@pytest.fixture(scope="module")
def server():
    with gunicorn(workers=1, threads=2, WARMUP_SURFACES="none") as (url, _pid):
        yield url


def _get(url: str, accept: str | None = None, **headers: str):
    """(status, headers, raw body as sent: not decoded)."""
    if accept is not None:
        headers["Accept-Encoding"] = accept
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def _post(url: str, body: dict, accept: str | None = None):
    headers = {"Content-Type": "application/json"}
    if accept is not None:
        headers["Accept-Encoding"] = accept
    req = urllib.request.Request(url + dr.ENDPOINT, data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


@pytest.fixture(scope="module")
def page(server):
    """The page and the files it links: {"html": text, "scripts": [...], "css": [...]}."""
    _, _, body = _get(server + "/")
    html = body.decode()
    return {
        "html": html,
        "scripts": re.findall(r'<script src="([^"]+)"', html),
        "css": re.findall(r'<link rel="stylesheet" href="([^"]+)"', html),
    }


def _bundle(page) -> str:
    return next(s for s in page["scripts"] if "dash_renderer" in s)


def _same(body: bytes) -> bytes:
    """The page carries a token Dash draws anew for every request; everything else is the same."""
    return re.sub(rb'"end_id":"[^"]*"', b'"end_id":""', body)


@pytest.mark.parametrize("algorithm", ["br", "gzip"])
def test_page_bundle_and_callback_are_compressed_and_decode_to_the_same_bytes(server, page, algorithm):
    body = dr.recompute_scene(Scene())
    fetches = {
        "page": lambda accept: _get(server + "/", accept),
        "bundle": lambda accept: _get(server + _bundle(page), accept),
        "callback": lambda accept: _post(server, body, accept),
    }
    for name, fetch in fetches.items():
        status, headers, plain = fetch(None)
        assert status == 200 and headers.get("Content-Encoding") is None, name
        status, headers, sent = fetch(algorithm)
        assert status == 200 and headers["Content-Encoding"] == algorithm, name
        assert "Accept-Encoding" in headers["Vary"], name
        assert len(sent) < len(plain) / 2, name
        assert _same(DECODE[algorithm](sent)) == _same(plain), name


@pytest.mark.parametrize("algorithm", ["br", "gzip"])
def test_callback_answers_are_compressed_at_the_per_request_level(server, algorithm):
    """A main-view answer through the real endpoint is exactly what the per-request level gives (brotli
    quality ``BR_LEVEL``, gzip ``GZIP_LEVEL``: cheap, as it is paid for every answer), not another level's."""
    status, headers, sent = _post(
        server, dr.recompute_scene(Scene(surface="himmelblau")), BROWSER if algorithm == "br" else "gzip"
    )
    assert status == 200 and headers["Content-Encoding"] == algorithm
    plain = DECODE[algorithm](sent)
    if algorithm == "br":
        assert sent == brotli.compress(plain, quality=BR_LEVEL, lgwin=BR_WINDOW)
        assert sent != brotli.compress(plain, quality=BR_LEVEL + 2, lgwin=BR_WINDOW)
    else:  # the deflate stream and trailer (the header carries the time)
        assert sent[10:] == gzip.compress(plain, GZIP_LEVEL, mtime=0)[10:]
        assert sent[10:] != gzip.compress(plain, GZIP_LEVEL + 3, mtime=0)[10:]
    assert len(sent) < len(plain) / 2


@pytest.mark.parametrize("algorithm", ["br", "gzip"])
def test_assets_streamed_from_disk_are_compressed_too(server, page, algorithm):
    css = next(c for c in page["css"] if "bootstrap" in c)
    _, _, plain = _get(server + css)
    status, headers, sent = _get(server + css, algorithm)
    assert status == 200 and headers["Content-Encoding"] == algorithm
    assert headers["Content-Type"].startswith("text/css")
    assert DECODE[algorithm](sent) == plain


def test_brotli_is_preferred_and_gzip_is_the_fallback(server, page):
    assert _get(server + "/", BROWSER)[1]["Content-Encoding"] == "br"
    assert _get(server + "/", "gzip, deflate")[1]["Content-Encoding"] == "gzip"
    assert _get(server + "/", "identity")[1].get("Content-Encoding") is None
    assert _get(server + "/", "deflate")[1].get("Content-Encoding") is None  # only br and gzip are offered


def test_small_answers_and_errors_are_sent_as_they_are(server):
    status, headers, body = _post(server, dr.new_seed(1), BROWSER)
    assert status == 200 and len(body) < MIN_SIZE and headers.get("Content-Encoding") is None
    assert json.loads(body)["response"]["seed"]["value"] >= 0
    status, headers, body = _post(server, {"output": "graph-3d.figure", "inputs": "x"}, BROWSER)
    assert status == 400 and "malformed" in json.loads(body)["error"]  # request_guard still answers


def test_security_headers_survive_compression(server):
    _, headers, _ = _get(server + "/", BROWSER)
    assert headers["Content-Encoding"] == "br"
    assert "script-src 'self' 'sha256-" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_fingerprinted_bundles_and_versioned_assets_are_cached_for_a_year(server, page):
    fingerprinted = [s for s in page["scripts"] if "/_dash-component-suites/" in s]
    assets = [s for s in page["scripts"] + page["css"] if s.startswith("/assets/")]
    assert fingerprinted and assets and all("?m=" in a for a in assets)
    for url in fingerprinted + assets:
        for accept in (None, BROWSER):
            status, headers, _ = _get(server + url, accept)
            assert status == 200 and headers["Cache-Control"] == IMMUTABLE, url


def test_the_page_and_callback_answers_stay_uncacheable(server, page):
    for accept in (None, BROWSER):
        _, headers, _ = _get(server + "/", accept)
        assert "max-age" not in headers.get("Cache-Control", "") and headers.get("ETag") is None
        _, headers, _ = _post(server, dr.recompute_scene(Scene(steps=100)), accept)
        assert "max-age" not in headers.get("Cache-Control", "") and headers.get("ETag") is None
    # an asset without Dash's ?m= is not addressed by its version: revalidated as before
    css = next(c for c in page["css"] if "bootstrap" in c).split("?")[0]
    assert _get(server + css)[1]["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("accept", [None, "br", "gzip"])
def test_revalidation_answers_304_with_or_without_compression(server, page, accept):
    plotly = "/_dash-component-suites/plotly/package_data/plotly.min.js"  # loaded lazily, unfingerprinted
    css = next(c for c in page["css"] if "bootstrap" in c)  # streamed from disk
    for url in (plotly, css):
        status, headers, body = _get(server + url, accept)
        etag = headers["ETag"]
        assert status == 200 and body and etag.endswith(f':{accept}"' if accept else '"'), url
        status, headers, body = _get(server + url, accept, **{"If-None-Match": etag})
        assert status == 304 and body == b"", url
        if url == css:
            assert headers["Cache-Control"] == IMMUTABLE


@pytest.mark.parametrize("algorithm", ["br", "gzip"])
def test_bundles_are_compressed_at_the_bundle_level_under_any_fingerprint(server, page, algorithm):
    bundle = _bundle(page)
    respelled = re.sub(r"\.v[\w-]+m[0-9a-f]+\.", ".v9_9_9m1.", bundle)
    assert respelled != bundle
    for url in (bundle, respelled, "/_dash-component-suites/plotly/package_data/plotly.min.js"):
        _, _, plain = _get(server + url)
        status, headers, sent = _get(server + url, algorithm)
        assert status == 200 and headers["Content-Encoding"] == algorithm, url
        assert sent == compress_bundle(plain, algorithm), url  # not the per-request level


def test_the_bundle_cache_keeps_only_bundles_and_is_bounded():
    cache = BundleCache()
    assert cache.get("br;") is None and cache.get("gzip;") is None  # not a bundle
    assert cache.get("zstd;dash/dcc/async-graph.js") is None  # not offered
    first = cache.get("br;dash/dcc/async-graph.js")
    assert brotli.decompress(first) == pkgutil.get_data("dash", "dcc/async-graph.js")
    assert cache.get("br;dash/dcc/async-graph.js") is first
    cache.set("br;dash/dcc/async-graph.js", b"x")  # flask-compress's per-request result is not kept
    assert cache.get("br;dash/dcc/async-graph.js") is first
    cache._data.update({f"br;dash/f{i}.js": b"" for i in range(BundleCache.MAX_ENTRIES)})
    assert cache.get("gzip;dash/dcc/async-graph.js") is None  # full: flask-compress compresses it per request
    assert len(cache._data) == BundleCache.MAX_ENTRIES + 1 and cache.get("br;dash/dcc/async-graph.js") is first


def test_what_counts_as_immutable_and_the_off_switch():
    assert is_immutable("/_dash-component-suites/dash/deps/react@18.v4_4_1m1795701794.3.1.min.js", {})
    assert not is_immutable("/_dash-component-suites/dash/dcc/async-graph.js", {})
    assert is_immutable("/assets/10-theme.css", {"m": "1795701696.9"})
    assert not is_immutable("/assets/10-theme.css", {})
    assert not is_immutable("/", {"m": "1"})
    assert enabled({}) and enabled({"COMPRESS": "1"}) and not enabled({"COMPRESS": "0"})
