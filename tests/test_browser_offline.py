"""The offline HTML page plays in real headless Chromium from a file (no server): Play runs it to
the last frame, the slider jumps back exactly, and plotly.js is inside the file."""

import os
import pathlib

from animate.offline import page
from app.state.link import query_to_scene
from tests.browser_helpers import severe_logs, until

ARTEFACTS = pathlib.Path(__file__).resolve().parent.parent / "artefacts"

STATE = """
const gd = document.getElementById('scene');
const pieces = gd._fullData.filter(t => t.mode === 'lines' && t.xaxis === 'x');
return {title: gd.layout.title.text, drawn: pieces.filter(t => t._length > 0).length,
        frames: gd._transitionData._frames.length, pieces: pieces.length};
"""


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
    os.makedirs(ARTEFACTS, exist_ok=True)
    browser.save_screenshot(str(ARTEFACTS / "offline-html-last-frame.png"))
    # The slider's step 5 plays frames 0..5 at once: a jump back empties the later pieces.
    browser.execute_script(
        "const gd = document.getElementById('scene');"
        "Plotly.animate(gd, gd.layout.sliders[0].steps[5].args[0], gd.layout.sliders[0].steps[5].args[1]);"
    )
    assert until(lambda: browser.execute_script(STATE)["drawn"] == 3 * 6)
    assert not severe_logs(dash_duo)
