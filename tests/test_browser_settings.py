"""Settings of the enabled optimizers only, in real headless Chromium (issue #13): ticking a rule
shows its settings with the link's values; a disabled rule's settings stay in the link."""

import pytest
from selenium.webdriver.common.keys import Keys

from bench.browser import GRAPHS, measure, press
from tests.browser_helpers import open_app, severe_logs, until

pytestmark = pytest.mark.browser
LINK = "?opt=sgd&steps=100&adam.lr=0.05&adam.sched=cosine:0.0:0.1"


def _box(dash_duo, name: str):
    found = dash_duo.driver.find_elements("css selector", f'[name="{name}"]')
    return found[0] if found else None


def _tick(dash_duo, rule: str) -> None:
    box = dash_duo.find_element(f"#rules input[value='{rule}']")
    dash_duo.driver.execute_script("arguments[0].click();", box)


def test_ticking_a_rule_shows_its_settings_with_the_links_values_and_unticking_keeps_them(dash_duo):
    open_app(dash_duo, LINK)
    driver = dash_duo.driver
    assert _box(dash_duo, "sgd-lr") is not None and _box(dash_duo, "adam-lr") is None  # Adam is off
    assert until(lambda: "adam.lr=0.05" in driver.current_url), driver.current_url  # ... its settings kept
    assert "adam.sched=cosine:0.0:0.1" in driver.current_url

    # around the first request after a page load Dash may resize every graph once: an unwatched action first
    measure(driver, press(driver, "#step", Keys.ARROW_RIGHT), quiet_ms=800)
    seen = measure(driver, lambda: _tick(dash_duo, "adam"), quiet_ms=800)
    print(seen["log"])
    # one answer draws each graph once and lays out Adam's settings (should Dash ask again for the boxes
    # it added, recompute refuses: the page shows this scene already, nothing is redrawn)
    assert {g: seen["plots"].get(g) for g in GRAPHS} == dict.fromkeys(GRAPHS, 1), seen
    assert seen["requests"][0] == "graph-3d.figure" and len(seen["requests"]) <= 2, seen
    assert until(lambda: _box(dash_duo, "adam-lr") is not None and _box(dash_duo, "adam-lr").is_displayed())
    assert _box(dash_duo, "adam-lr").get_attribute("value") == "0.05"  # opened, with the link's value
    assert _box(dash_duo, "adam-sched-kind").get_attribute("value") == "cosine"
    assert _box(dash_duo, "adam-sched-b").get_attribute("value") == "0.1"
    dash_duo.wait_for_element("#row-adam", timeout=60)
    assert until(lambda: "opt=sgd%2Cadam" in driver.current_url or "opt=sgd,adam" in driver.current_url)

    box = _box(dash_duo, "adam-lr")  # a new value, then Adam off: the link keeps it
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("0.07", Keys.ENTER)
    assert until(lambda: "adam.lr=0.07" in driver.current_url), driver.current_url
    _tick(dash_duo, "adam")
    assert until(lambda: _box(dash_duo, "adam-lr") is None)
    assert until(lambda: "opt=sgd&" in driver.current_url), driver.current_url
    assert "adam.lr=0.07" in driver.current_url and "adam.sched=cosine:0.0:0.1" in driver.current_url
    assert until(lambda: not driver.find_elements("css selector", "#row-adam"))

    _tick(dash_duo, "adam")  # on again: the value typed before
    assert until(lambda: _box(dash_duo, "adam-lr") is not None)
    assert _box(dash_duo, "adam-lr").get_attribute("value") == "0.07"

    driver.get(driver.current_url)  # the link round-trips the settings of every rule
    dash_duo.wait_for_element("#results-table", timeout=60)
    assert until(lambda: _box(dash_duo, "adam-lr") is not None)
    assert _box(dash_duo, "adam-lr").get_attribute("value") == "0.07"
    assert severe_logs(dash_duo) == []
