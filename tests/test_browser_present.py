"""Phones and projectors in real headless Chromium: at 390 x 844 a drawn chart is in the first
screenful, the controls live in a drawer a button opens, the 3-D view spans the width and touch
targets are at least 44 px; at 1920 x 1080 present=1 shows the charts large with big type and the
keyboard shortcuts work. Screenshots of each layout are kept under artefacts/ (gitignored)."""

import os
import pathlib

from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.browser_helpers import WAIT, open_app, severe_logs, until

ARTEFACTS = pathlib.Path(__file__).resolve().parent.parent / "artefacts"

RECT = (
    "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return [r.left, r.top, r.width, r.height];"
)
DRAWN = (
    "const g = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
    " return !!(g && g._fullData && g._fullData.length > 3);"
)


def _emulate(dash_duo, width: int, height: int, mobile: bool) -> None:
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )


def _shot(dash_duo, name: str) -> None:
    os.makedirs(ARTEFACTS, exist_ok=True)
    dash_duo.driver.save_screenshot(str(ARTEFACTS / name))


def _visible(dash_duo, css: str) -> bool:
    return dash_duo.driver.execute_script(
        "const e = document.querySelector(arguments[0]); const s = getComputedStyle(e);"
        " const r = e.getBoundingClientRect();"
        " return s.visibility !== 'hidden' && s.display !== 'none' && r.right > 0 && r.width > 0;",
        css,
    )


def test_on_a_phone_the_charts_come_first_and_the_controls_live_in_a_drawer(dash_duo):
    _emulate(dash_duo, 390, 844, True)
    open_app(dash_duo, "?steps=300")
    browser = dash_duo.driver
    assert until(lambda: browser.execute_script(DRAWN, "graph-3d"))
    _, top, width, _ = browser.execute_script(RECT, "#graph-3d")
    assert top < 844 - 200, top  # a drawn chart in the first screenful, most of it visible
    assert width >= 0.9 * 390  # the 3-D view spans the width
    assert not _visible(dash_duo, "#controls-drawer") and not _visible(dash_duo, "#surface")
    for css in ("#drawer-open", "#play", "#step-one"):
        assert min(browser.execute_script(RECT, css)[2:]) >= 44, css  # touch targets
    _shot(dash_duo, "phone-390x844.png")
    dash_duo.find_element("#drawer-open").click()
    assert until(lambda: _visible(dash_duo, "#controls-drawer") and _visible(dash_duo, "#surface"))
    assert until(lambda: browser.execute_script(RECT, "#controls-drawer")[0] >= -1)  # slid in
    assert browser.execute_script(RECT, "#surface")[3] >= 44
    _shot(dash_duo, "phone-drawer-open.png")
    dash_duo.find_element("#drawer-close").click()
    assert until(lambda: not _visible(dash_duo, "#controls-drawer"))
    assert not severe_logs(dash_duo)


def test_on_a_desktop_the_panel_stays_beside_the_larger_3d_view(dash_duo):
    _emulate(dash_duo, 1440, 900, False)
    open_app(dash_duo, "?steps=300")
    browser = dash_duo.driver
    assert until(lambda: browser.execute_script(DRAWN, "graph-3d"))
    assert _visible(dash_duo, "#surface") and not _visible(dash_duo, "#drawer-open")
    _, _, w3d, h3d = browser.execute_script(RECT, "#graph-3d")
    wcontour = browser.execute_script(RECT, "#graph-contour")[2]
    assert h3d >= 600 and w3d >= wcontour  # as large as the contour map, 600 px tall (460 before)
    _shot(dash_duo, "desktop-1440x900.png")
    Select(dash_duo.find_element("#camera")).select_by_value("top")  # a camera preset, into the link
    eye = "return document.querySelector('#graph-3d .js-plotly-plot').layout.scene.camera.eye"
    assert until(lambda: "cam=top" in browser.current_url and browser.execute_script(eye)["z"] == 2.8)


def test_projector_mode_shows_the_charts_large_with_big_type_and_shortcuts(dash_duo):
    _emulate(dash_duo, 1920, 1080, False)
    open_app(dash_duo, "?steps=200&opt=adam,sgd&present=1")
    browser = dash_duo.driver
    assert until(lambda: browser.execute_script(DRAWN, "graph-3d"))
    assert browser.execute_script("return document.body.classList.contains('present')")
    assert not _visible(dash_duo, "#controls-col") and not _visible(dash_duo, "#header")
    assert _visible(dash_duo, "#present-bar")
    assert browser.execute_script(RECT, "#graph-3d")[3] >= 0.7 * 1080
    assert until(
        lambda: (
            browser.execute_script("return document.querySelector('#graph-loss .js-plotly-plot')._fullLayout.font.size")
            == 20
        )
    )
    body = browser.find_element("css selector", "body")
    body.send_keys(Keys.ARROW_RIGHT)  # one step
    assert until(lambda: dash_duo.find_element("#step-label").text == "Step 1", 20)
    body.send_keys(" ")  # play
    assert until(lambda: "Pause" in dash_duo.find_element("#play").text, 20)
    body.send_keys(" ")  # pause
    assert until(lambda: "Play" in dash_duo.find_element("#play").text, 20)
    _shot(dash_duo, "projector-1920x1080.png")
    exit_href = dash_duo.find_element("#present-exit").get_attribute("href")
    assert "present=1" not in exit_href and "steps=200" in exit_href
    assert not severe_logs(dash_duo)


def test_the_header_present_link_carries_the_scene(dash_duo):
    open_app(dash_duo, "?steps=150&opt=adam")
    assert until(lambda: "present=1" in dash_duo.find_element("#present-link").get_attribute("href"))
    href = dash_duo.find_element("#present-link").get_attribute("href")
    assert "steps=150" in href and "opt=adam" in href
    # it follows the scene (assets/present.js, on the main view's "scene-query")
    box = dash_duo.find_element("#steps")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("120", Keys.ENTER)
    assert until(lambda: "steps=120" in dash_duo.find_element("#present-link").get_attribute("href"))
    assert "present=1" in dash_duo.find_element("#present-link").get_attribute("href")
    assert WAIT


def test_an_embed_that_keeps_the_panel_opens_the_drawer_on_a_phone(dash_duo):
    _emulate(dash_duo, 390, 844, True)
    open_app(dash_duo, "?embed=1&panel=1&steps=300")
    browser = dash_duo.driver
    assert until(lambda: not _visible(dash_duo, "#header"))  # embedded: no header, no "☰ Controls"
    assert until(lambda: _visible(dash_duo, "#drawer-fab"))  # the floating button instead
    left, top, width, height = browser.execute_script(RECT, "#drawer-fab")
    assert min(width, height) >= 44 and 0 <= left and top + height <= 844  # on screen, a touch target
    assert not _visible(dash_duo, "#controls-drawer")
    _shot(dash_duo, "phone-embed-panel.png")
    dash_duo.find_element("#drawer-fab").click()
    assert until(lambda: _visible(dash_duo, "#controls-drawer") and _visible(dash_duo, "#surface"))
    assert until(lambda: browser.execute_script(RECT, "#controls-drawer")[0] >= -1)  # slid in
    _shot(dash_duo, "phone-embed-drawer-open.png")
    dash_duo.find_element("#drawer-close").click()
    assert until(lambda: not _visible(dash_duo, "#controls-drawer"))
    assert not severe_logs(dash_duo)


def test_the_floating_drawer_button_stays_away_where_it_is_not_wanted(dash_duo):
    _emulate(dash_duo, 390, 844, True)
    open_app(dash_duo, "?embed=1&steps=300")  # an embed without the panel: nothing to open
    assert until(lambda: not _visible(dash_duo, "#header"))
    assert until(lambda: not _visible(dash_duo, "#controls-col"))
    assert not _visible(dash_duo, "#drawer-fab")
    dash_duo.driver.get(dash_duo.server_url + "/?steps=300")  # not embedded: the header's button
    dash_duo.wait_for_element("#results-table", timeout=WAIT)
    assert until(lambda: _visible(dash_duo, "#drawer-open"))
    assert not _visible(dash_duo, "#drawer-fab")
    _emulate(dash_duo, 1440, 900, False)  # embed with the panel on a wide screen: the panel is beside
    dash_duo.driver.get(dash_duo.server_url + "/?embed=1&panel=1&steps=300")
    dash_duo.wait_for_element("#results-table", timeout=WAIT)
    assert until(lambda: _visible(dash_duo, "#surface"))
    assert not _visible(dash_duo, "#drawer-fab")
