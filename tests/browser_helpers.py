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
