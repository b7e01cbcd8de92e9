"""Small helpers shared by the browser tests."""

from __future__ import annotations

import time

from selenium.common.exceptions import WebDriverException

from app.server import app

WAIT = 60


def open_app(dash_duo, query: str = "") -> None:
    """Serve the app, open ``query`` (e.g. "?surface=rosenbrock") and wait for the first results."""
    dash_duo.start_server(app)
    if query:
        dash_duo.driver.get(dash_duo.server_url + "/" + query)
    dash_duo.wait_for_element("#results-table", timeout=WAIT)


def until(condition, timeout: float = WAIT) -> bool:
    """Wait for ``condition``; elements rebuilt meanwhile (stale, missing) count as not yet."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if condition():
                return True
        except WebDriverException:
            pass
        time.sleep(0.2)
    try:
        return bool(condition())
    except WebDriverException:
        return False


def severe_logs(browser) -> list:
    """The browser console's errors (a page that works has none)."""
    return [e for e in browser.get_logs() or [] if e.get("level") == "SEVERE"]


def open_tab(browser, label: str) -> None:
    """Click the view tab called ``label`` (Runs, Basin map, Sweep, Compare surfaces)."""
    next(a for a in browser.find_elements("#view-tabs .nav-link") if a.text == label).click()


def count_draws(browser, gid: str, quiet: float = 1.0) -> None:
    """Count Plotly's full draws of the graph ``gid`` (each ``plotly_beforeplot``: more than one per
    new figure when automargin had to widen a margin and drew the whole chart again) from the moment
    it has been left alone for ``quiet`` seconds (a tab just shown draws its placeholder)."""
    browser.driver.execute_script(
        "var gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot'), id = arguments[0];"
        "window.__draws = window.__draws || {}; window.__draws[id] = 0;"
        "if (!gd.__drawCounted) { gd.__drawCounted = true;"
        "  gd.on('plotly_beforeplot', function () { window.__draws[id] += 1; }); }",
        gid,
    )
    seen, since = 0, time.time()
    while time.time() - since < quiet:
        time.sleep(0.1)
        now = draws(browser, gid)
        if now != seen:
            seen, since = now, time.time()
    browser.driver.execute_script("window.__draws[arguments[0]] = 0;", gid)


def draws(browser, gid: str) -> int:
    """Plotly's full draws of ``gid`` since ``count_draws``."""
    return browser.driver.execute_script("return window.__draws[arguments[0]];", gid)


def settled_draws(browser, gid: str, quiet: float = 1.5) -> int:
    """``draws`` once the graph has been drawn and ``quiet`` seconds have passed (automargin's extra
    draws come within milliseconds of the first)."""
    until(lambda: draws(browser, gid) >= 1)
    time.sleep(quiet)
    return draws(browser, gid)
