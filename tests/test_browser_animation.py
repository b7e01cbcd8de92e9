"""The Export menu's animation dialog renders a GIF of the scene on screen through the job queue
(real runner processes) with its progress, and the offline page downloads from the same menu."""

import io
import pathlib
import time

from PIL import Image

from animate import plan
from tests.browser_helpers import WAIT, open_app, until


def _file(dash_duo, suffix: str) -> bytes:
    deadline = time.time() + WAIT * 2
    while time.time() < deadline:
        files = [p for p in pathlib.Path(dash_duo.download_path).glob(f"*{suffix}") if p.stat().st_size]
        if files:
            time.sleep(0.3)  # the browser finishes writing
            return files[0].read_bytes()
        time.sleep(0.3)
    raise AssertionError(f"no {suffix} file was downloaded")


def _menu(dash_duo, item: str) -> None:
    dash_duo.driver.execute_script("document.querySelector('#export-menu .dropdown-toggle').click();")
    dash_duo.driver.execute_script(f"document.querySelector('{item}').click();")


def _type(dash_duo, css: str, value) -> None:
    box = dash_duo.find_element(css)
    box.clear()
    box.send_keys(str(value))


def test_animation_dialog_renders_a_gif_through_the_job_queue(dash_duo):
    open_app(dash_duo, "?surface=himmelblau&steps=120&opt=adam,sgd")
    _menu(dash_duo, "#export-animation")
    dash_duo.wait_for_element("#anim-run", timeout=WAIT)
    assert until(lambda: dash_duo.find_element("#anim-run").is_displayed())
    _type(dash_duo, "#anim-frames", 16)
    _type(dash_duo, "#anim-width", 400)
    dash_duo.find_element("#anim-run").click()
    data = _file(dash_duo, ".gif")
    im = Image.open(io.BytesIO(data))
    assert im.format == "GIF" and im.n_frames == 16 and im.size == (400, plan.Request(width=400).height)
    assert until(lambda: dash_duo.find_element("#anim-run").is_enabled())  # the job is over, Render is back


def test_animation_dialog_says_what_it_clamped(dash_duo):
    open_app(dash_duo, "?steps=40&opt=sgd")
    _menu(dash_duo, "#export-animation")
    dash_duo.wait_for_element("#anim-run", timeout=WAIT)
    assert until(lambda: dash_duo.find_element("#anim-run").is_displayed())
    _type(dash_duo, "#anim-frames", 5000)
    _type(dash_duo, "#anim-width", 320)
    dash_duo.find_element("#anim-run").click()
    dash_duo.wait_for_contains_text("#anim-notice", "frames: 5000 is outside [2, 300]", timeout=WAIT)
    assert Image.open(io.BytesIO(_file(dash_duo, ".gif"))).n_frames == 41  # a 40-step run has 41 distinct steps


def test_offline_page_downloads_from_the_export_menu(dash_duo):
    open_app(dash_duo, "?steps=100&opt=adam")
    _menu(dash_duo, "#export-html")
    html = _file(dash_duo, ".html").decode()
    assert "step 0 of 100" in html and len(html) < 5_000_000
