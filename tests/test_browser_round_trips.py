"""One user action, one round trip, one redraw (issue #13), in real headless Chromium.

Each action is watched with the benchmark's own probe (``bench.browser.measure``): every
``/_dash-update-component`` POST and every graph's ``plotly_afterplot`` until the page has been
quiet for a while. The tests count; they never time.
"""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from bench.browser import ADAM_LR, measure, open_adam_settings, pick, press
from tests.browser_helpers import open_app, open_tab, severe_logs, until

pytestmark = pytest.mark.browser
QUIET_MS = 800  # generous: a chained callback would start within milliseconds of the answer before it
ALL_THREE = {"graph-3d": 1, "graph-contour": 1, "graph-loss": 1}


def _watch(dash_duo, act, draws: bool = False) -> dict:
    """Requests and redraws of each graph after ``act``; ``draws``: and Plotly's full draws of each
    (``plotly_beforeplot``: automargin draws a chart again when it has to widen a margin)."""
    result = measure(dash_duo.driver, act, quiet_ms=QUIET_MS)
    assert not result["timeout"], result
    print(result["log"])  # shown when a test fails: what happened, in order
    seen = {"requests": result["requests"], "plots": result["plots"]}
    return {**seen, "draws": result["draws"]} if draws else seen


def _one_answer(first_output: str, plots: dict, draws: bool = False) -> dict:
    return {"requests": [first_output], "plots": plots, **({"draws": plots} if draws else {})}


def _warm_up(dash_duo) -> None:
    """One unwatched action: around the first request after a page load, Dash sometimes resizes every
    graph once (hidden tabs' graphs too, no callback involved; main does the same)."""
    measure(dash_duo.driver, press(dash_duo.driver, "#step", Keys.ARROW_RIGHT), quiet_ms=QUIET_MS)


def test_each_control_costs_one_request_and_one_redraw_per_graph(dash_duo):
    driver = dash_duo.driver
    driver.set_window_size(1400, 2400)  # every graph in view: none of them waits (app/assets/in-view.js)
    open_app(dash_duo)
    open_adam_settings(driver)
    _warm_up(dash_duo)  # the step is 1 now
    seen = {
        "roughness slider": _watch(dash_duo, press(driver, "#roughness", Keys.ARROW_RIGHT), draws=True),
        "Adam's learning-rate slider": _watch(dash_duo, press(driver, ADAM_LR, Keys.ARROW_RIGHT), draws=True),
        "surface menu": _watch(dash_duo, pick(driver, "#surface", "Rosenbrock"), draws=True),
        "step scrubber": _watch(dash_duo, press(driver, "#step", Keys.ARROW_RIGHT), draws=True),
    }
    # the recompute: figures, inspector, start...; each graph drawn once, its axes' labels fitting the
    # margins from the start (the new surface's contour map was drawn 2-4 times by automargin)
    main_view = _one_answer("graph-3d.figure", ALL_THREE, draws=True)
    assert seen == {
        "roughness slider": main_view,
        "Adam's learning-rate slider": main_view,  # a Patch of Adam's traces, with its inspector and arrows
        "surface menu": main_view,  # the new surface's start comes in the same answer
        "step scrubber": _one_answer("inspector.children", ALL_THREE, draws=True),  # markers, inspector, arrows
    }
    # ... and each answer did its whole job
    assert dash_duo.find_element("#start-x").get_attribute("value") == "-1.5"  # Rosenbrock's own start
    assert "surface=rosenbrock" in driver.current_url and "rough=0.1" in driver.current_url
    assert "adam.lr=0.102" in driver.current_url and "k=2" in driver.current_url
    assert dash_duo.find_element("#inspect-step").text == "2"
    assert severe_logs(dash_duo) == []


def _marker(dash_duo, gid: str, name: str = "SGD now") -> list:
    return dash_duo.driver.execute_script(
        "var g = document.querySelector('#' + arguments[0] + ' .js-plotly-plot'), name = arguments[1];"
        "var t = g.data.filter(function (d) { return d.name === name; })[0];"
        "return [t.x[0], t.y[0]];",
        gid,
        name,
    )


def _arrows(dash_duo) -> list:
    return dash_duo.driver.execute_script(
        "var g = document.querySelector('#graph-contour .js-plotly-plot');"
        "return (g.layout.annotations || []).map(function (a) { return a.name; });"
    )


def test_the_inspector_and_playback_cost_one_request_and_one_redraw(dash_duo):
    open_app(dash_duo, "?surface=multimodal&opt=sgd,nesterov&steps=60&k=29")
    driver = dash_duo.driver
    assert until(lambda: dash_duo.find_element("#inspect-step").text == "29")
    # the figures arrive with the markers and the arrows at the link's step: no second answer draws them
    assert _marker(dash_duo, "graph-contour") != [-2, 2] and "step taken" in _arrows(dash_duo)
    _warm_up(dash_duo)  # the step is 30 now
    at_30 = _marker(dash_duo, "graph-contour")

    step_one = _watch(dash_duo, lambda: dash_duo.find_element("#step-one").click())
    assert step_one == _one_answer("inspector.children", ALL_THREE)
    assert dash_duo.find_element("#inspect-step").text == "31" and _marker(dash_duo, "graph-contour") != at_30

    radio = dash_duo.find_element("#inspect-rule input[value='nesterov']")
    other_rule = _watch(dash_duo, radio.click)
    assert other_rule == _one_answer("inspector.children", {"graph-contour": 1})  # only the arrows changed
    assert "look-ahead θ − lr·ρ·v" in _arrows(dash_duo)

    drag = dash_duo.find_element("#graph-contour .nsewdrag")
    click = _watch(dash_duo, lambda: ActionChains(driver).move_to_element_with_offset(drag, 40, 30).click().perform())
    assert click == _one_answer("graph-3d.figure", ALL_THREE)  # the new start and its run in one answer
    assert "x=" in driver.current_url and "look-ahead θ − lr·ρ·v" in _arrows(dash_duo)

    # playing: every frame is drawn in the browser, without a request; at the run's end playback pauses
    # and the inspector is asked once
    play = _watch(dash_duo, lambda: dash_duo.find_element("#play").click())
    assert play["requests"] == ["inspector.children"]
    frames = play["plots"]["graph-contour"]
    assert frames >= 2 and play["plots"] == dict.fromkeys(ALL_THREE, frames)
    assert dash_duo.find_element("#inspect-step").text == "60"
    assert dash_duo.find_element("#step-label").text == "Step 60"
    assert severe_logs(dash_duo) == []


def _graph(dash_duo, gid: str, expr: str):
    return dash_duo.driver.execute_script(
        "var g = document.querySelector('#' + arguments[0] + ' .js-plotly-plot'); return " + expr + ";", gid
    )


def _steps(dash_duo, n: int):
    def act():
        box = dash_duo.find_element("#steps")
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(str(n), Keys.ENTER)

    return act


def _waiting(dash_duo, gid: str) -> bool:
    return _graph(dash_duo, gid, "window.inView.waiting(g)")


def test_graphs_out_of_view_are_drawn_when_they_come_into_view(dash_duo):
    """With another tab open, the main view's graphs keep their new figures (app/assets/in-view.js) until
    the Runs tab shows them again; then each is drawn once, with the latest answer, without a request.
    Anything that touches a waiting graph draws its figure first (here: an image export)."""
    driver = dash_duo.driver
    driver.set_window_size(1400, 2400)  # with the Runs tab open, every graph is in view
    open_app(dash_duo)
    _warm_up(dash_duo)
    open_tab(dash_duo, "Basin map")
    assert until(lambda: not dash_duo.find_element("#graph-3d").is_displayed())  # the Runs tab faded out
    changed = _watch(dash_duo, _steps(dash_duo, 300))
    assert "graph-3d.figure" in changed["requests"]
    assert not set(changed["plots"]) & set(ALL_THREE)  # nothing drawn out of view (the basin map is in view)
    assert all(_waiting(dash_duo, gid) for gid in ALL_THREE)
    assert _graph(dash_duo, "graph-loss", "g.layout.xaxis.range") == [0, 2000]

    back = _watch(dash_duo, lambda: open_tab(dash_duo, "Runs"))
    assert back == {"requests": [], "plots": ALL_THREE}  # each drawn once, and nothing asked of the server
    assert _graph(dash_duo, "graph-loss", "g.layout.xaxis.range") == [0, 300]
    assert not any(_waiting(dash_duo, gid) for gid in ALL_THREE)
    for gid in ALL_THREE:  # drawn to the size of its place on the page
        drawn = _graph(dash_duo, gid, "[g._fullLayout.width, g._fullLayout.height]")
        place = _graph(dash_duo, gid, "[g.getBoundingClientRect().width, g.getBoundingClientRect().height]")
        assert drawn == pytest.approx(place, abs=1)

    open_tab(dash_duo, "Basin map")
    assert until(lambda: not dash_duo.find_element("#graph-3d").is_displayed())
    _steps(dash_duo, 200)()
    assert until(lambda: _waiting(dash_duo, "graph-loss"))
    dash_duo.find_element("#export-menu").click()
    dash_duo.find_element("#export-loss-svg").click()  # Plotly.downloadImage of the waiting chart
    assert until(lambda: not _waiting(dash_duo, "graph-loss"))
    assert _graph(dash_duo, "graph-loss", "g.layout.xaxis.range") == [0, 200]
    assert severe_logs(dash_duo) == []
