"""The offline HTML page plays in real headless Chromium from a file (no server): Play runs it to
the last frame with the slider following, the slider jumps back exactly, and plotly.js is inside
the file."""

import os
import pathlib

from selenium.webdriver.common.actions.action_builder import ActionBuilder

from animate.offline import page
from app.state.link import query_to_scene
from tests.browser_helpers import severe_logs, until

ARTEFACTS = pathlib.Path(__file__).resolve().parent.parent / "artefacts"

STATE = """
const gd = document.getElementById('scene');
const pieces = gd._fullData.filter(t => t.mode === 'lines' && t.xaxis === 'x');
return {title: gd.layout.title.text, drawn: pieces.filter(t => t._length > 0).length,
        frames: gd._transitionData._frames.length, pieces: pieces.length, active: gd._fullLayout.sliders[0].active,
        shown: (document.querySelector('.slider-group text.slider-label') || {}).textContent};
"""

RAIL = """
const r = document.querySelector('.slider-rail-touch-rect').getBoundingClientRect();
return [r.left, r.top, r.width, r.height];
"""


def _click(browser, x: float, y: float) -> None:
    """A real mouse click at the window's point (x, y)."""
    actions = ActionBuilder(browser)
    actions.pointer_action.move_to_location(int(x), int(y)).click()
    actions.perform()


def test_the_offline_page_plays_to_the_last_frame_without_a_server(dash_duo, tmp_path):
    scene, _ = query_to_scene("?steps=300&opt=adam,sgd,momentum")
    html = page(scene, frames=30)
    assert len(html) > 4_000_000 and "Plotly" in html  # plotly.js is inside the file
    assert "<script src=" not in html and "<link" not in html  # nothing is loaded from elsewhere
    path = tmp_path / "scene.html"
    path.write_text(html, encoding="utf-8")
    browser = dash_duo.driver
    browser.get(path.as_uri())
    assert until(lambda: browser.execute_script("return !!(window.Plotly && document.getElementById('scene').data)"))
    state = browser.execute_script(STATE)
    assert state["frames"] == 30 and state["drawn"] == 0 and "step 0 of 300" in state["title"]
    browser.execute_script(
        "document.querySelector('.updatemenu-button').dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )  # ▶ Play
    assert until(lambda: "step 300 of 300" in browser.execute_script(STATE)["title"], timeout=60)
    state = browser.execute_script(STATE)
    assert state["drawn"] == state["pieces"] == 3 * 30  # every piece of every path drawn
    assert until(lambda: browser.execute_script(STATE)["active"] == 29)  # the slider followed Play to the end
    assert browser.execute_script(STATE)["shown"] == "step 300"
    os.makedirs(ARTEFACTS, exist_ok=True)
    browser.save_screenshot(str(ARTEFACTS / "offline-html-last-frame.png"))
    # The slider's step 5 plays frames 0..5 at once: a jump back empties the later pieces.
    browser.execute_script(
        "const gd = document.getElementById('scene');"
        "Plotly.animate(gd, gd.layout.sliders[0].steps[5].args[0], gd.layout.sliders[0].steps[5].args[1]);"
    )
    assert until(lambda: browser.execute_script(STATE)["drawn"] == 3 * 6)
    # A click on the slider's rail near its start: the user's jump back stands (the frames 0..j it
    # plays do not drag the slider along), the later pieces are emptied.
    left, top, width, height = browser.execute_script(RAIL)
    _click(browser, left + 2, top + height / 2)
    assert until(lambda: browser.execute_script(STATE)["active"] == 0)
    assert until(lambda: browser.execute_script(STATE)["drawn"] == 3 * 1)
    _click(browser, left + width / 2, top + height / 2)  # the middle
    assert until(lambda: 12 <= browser.execute_script(STATE)["active"] <= 17)
    state = browser.execute_script(STATE)
    assert until(lambda: browser.execute_script(STATE)["drawn"] == 3 * (state["active"] + 1))
    assert browser.execute_script(STATE)["active"] == state["active"]
    assert not severe_logs(dash_duo)
