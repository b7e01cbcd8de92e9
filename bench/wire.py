"""Bytes on the wire in headless Chromium: first visit, a recompute, a one-setting Patch, a second visit.

``python -m bench.wire``. The app runs under real gunicorn (the Dockerfile's command); Chromium
starts with an empty profile (cold cache). The bytes are Chromium's own count from its DevTools
performance log: ``Network.loadingFinished``'s ``encodedDataLength`` (what arrived over the
connection: headers plus the body as sent, compressed or not), matched to ``Network.responseReceived``
for the address, type and encoding; ``Network.dataReceived`` gives the decoded (uncompressed) size.
Files the browser takes from its cache are not requests on the wire and are counted apart.

Goals: first visit < 2,000 KB; a recompute (roughness slider: surface and all paths) < 100 KB;
one optimizer's learning rate (answered with a Patch) < 20 KB. ``COMPRESS=0 python -m bench.wire``
shows the same without compression.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from selenium import webdriver
from selenium.webdriver.common.keys import Keys

from bench import dash_requests as dr
from bench.browser import ADAM_LR, CHROMIUM_FLAGS, _wait_ready, app_in_chromium, chromium_missing, measure, press

# The tests' flags (no GPU, no traffic of Chromium's own) with software WebGL for the 3-D view.
FLAGS = tuple(dict.fromkeys((*CHROMIUM_FLAGS, "--enable-unsafe-swiftshader", "--use-angle=swiftshader")))
RECOMPUTE_OUTPUT = json.dumps(dr.RECOMPUTE)[1:-1]  # how the request body names the main view's callback
QUIET = 1.5  # seconds without network events: the page has settled


@dataclass
class Transfer:
    url: str
    method: str = "GET"
    kind: str = ""
    status: int = 0
    encoding: str = ""
    wire: int = 0  # bytes received over the connection (headers + body as sent)
    body: int = 0  # decoded body bytes
    sent: int = 0  # request body bytes (POST)
    cached: bool = False  # taken from the browser's cache: nothing went over the wire
    finished: bool = False
    output: str = ""  # a callback request's output key


class NetworkLog:
    """The requests seen in the performance log since the last ``take()``."""

    def __init__(self, driver: webdriver.Chrome) -> None:
        self.driver = driver
        self.transfers: dict[str, Transfer] = {}

    def _read(self) -> int:
        entries = self.driver.get_log("performance")
        for entry in entries:
            msg = json.loads(entry["message"])["message"]
            method, p = msg.get("method", ""), msg.get("params", {})
            rid = p.get("requestId")
            if method == "Network.requestWillBeSent":
                req = p["request"]
                t = self.transfers.setdefault(rid, Transfer(req["url"]))
                t.url, t.method = req["url"], req["method"]
                post = req.get("postData") or "".join(e.get("bytes", "") for e in req.get("postDataEntries", []))
                t.sent = len(post.encode())
                if RECOMPUTE_OUTPUT in post:
                    t.output = "recompute"
            elif method == "Network.requestServedFromCache" and rid in self.transfers:
                self.transfers[rid].cached = True
            elif method == "Network.responseReceived" and rid in self.transfers:
                t, resp = self.transfers[rid], p["response"]
                headers = {k.lower(): v for k, v in resp.get("headers", {}).items()}
                t.kind, t.status = p.get("type", ""), resp.get("status", 0)
                t.encoding = headers.get("content-encoding", "")
                t.cached = t.cached or resp.get("fromDiskCache", False) or resp.get("fromPrefetchCache", False)
            elif method == "Network.dataReceived" and rid in self.transfers:
                self.transfers[rid].body += p.get("dataLength", 0)
            elif method == "Network.loadingFinished" and rid in self.transfers:
                t = self.transfers[rid]
                t.wire, t.finished = int(p.get("encodedDataLength", 0)), True
            elif method == "Network.loadingFailed" and rid in self.transfers:
                self.transfers[rid].finished = True
        return len(entries)

    def settle(self, timeout: float = 60) -> None:
        """Wait until no network event arrived for ``QUIET`` seconds and every request finished."""
        deadline, quiet_since = time.time() + timeout, time.time()
        while time.time() < deadline:
            if self._read():
                quiet_since = time.time()
            elif time.time() - quiet_since > QUIET and all(t.finished for t in self.transfers.values()):
                return
            time.sleep(0.2)

    def take(self) -> list[Transfer]:
        self.settle()
        out, self.transfers = [t for t in self.transfers.values() if not t.url.startswith("data:")], {}
        return out


def _on_wire(transfers: list[Transfer]) -> list[Transfer]:
    return [t for t in transfers if not t.cached]


def _kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB" if n >= 10 * 1024 else f"{n / 1024:,.1f} KB"


def _press(driver: webdriver.Chrome, slider_css: str) -> None:
    """A key press on the slider's handle; returns when the page has settled."""
    if not measure(driver, press(driver, slider_css, Keys.ARROW_RIGHT))["plots"]:
        raise RuntimeError(f"no graph redrew after {slider_css} changed")


def _recompute(transfers: list[Transfer]) -> Transfer:
    calls = [t for t in transfers if t.output == "recompute"]
    if len(calls) != 1:
        raise RuntimeError(f"expected one main-view callback, saw {len(calls)}")
    return calls[0]


def main() -> None:
    if chromium_missing("Bytes on the wire in Chromium"):
        return
    with app_in_chromium(FLAGS, network_log=True) as (driver, url):
        driver.set_script_timeout(30)
        log = NetworkLog(driver)
        driver.get(url + "/")
        _wait_ready(driver)
        first = log.take()

        _press(driver, "#roughness")
        rough = log.take()

        driver.execute_script("document.querySelectorAll('#hyper-accordion .accordion-button')[4].click();")
        time.sleep(0.5)
        log.take()  # opening the settings asks nothing of the server, but drain the log
        _press(driver, ADAM_LR)
        patch = log.take()

        driver.get(url + "/")
        _wait_ready(driver)
        second = log.take()

    cold = _on_wire(first)
    encodings = sorted({t.encoding or "none" for t in cold if t.body > 1024})
    print(f"Bytes on the wire, headless Chromium, gunicorn on localhost (content encoding: {', '.join(encodings)})")
    total = sum(t.wire for t in cold)
    print(f"  first visit (cold cache): {_kb(total)} in {len(cold)} requests  (goal < 2,000 KB)")
    for t in sorted(cold, key=lambda t: -t.wire)[:5]:
        name = t.url.split("?")[0].rsplit("/", 1)[-1] or "/"
        print(f"    {name[:60]}: {_kb(t.wire)} ({_kb(t.body)} uncompressed)")
    rc = _recompute(rough)
    rough_all = sum(t.wire for t in _on_wire(rough))
    print(
        f"  recompute (roughness slider, surface and all paths): {_kb(rc.wire)} on the wire, "
        f"{_kb(rc.body)} uncompressed  (goal < 100 KB); request {_kb(rc.sent)}; "
        f"all {len(_on_wire(rough))} requests {_kb(rough_all)}"
    )
    pc = _recompute(patch)
    patch_all = sum(t.wire for t in _on_wire(patch))
    print(
        f"  one optimizer's learning rate (Patch): {_kb(pc.wire)} on the wire, {_kb(pc.body)} uncompressed  "
        f"(goal < 20 KB); all {len(_on_wire(patch))} requests {_kb(patch_all)}"
    )
    warm = _on_wire(second)
    fixed = [t for t in warm if "_dash-update-component" not in t.url]
    print(
        f"  second visit (warm cache): {_kb(sum(t.wire for t in warm))} in {len(warm)} requests, "
        f"{len(second) - len(warm)} files from the cache; page and files {_kb(sum(t.wire for t in fixed))} "
        f"in {len(fixed)} requests, the rest the scene's callbacks"
    )


if __name__ == "__main__":
    main()
