"""The explore views, lessons, own formulas and the embed dialog in real headless Chromium."""

from urllib.parse import unquote_plus

import pytest
from selenium.webdriver.common.keys import Keys

from app.server import app
from tests.browser_helpers import count_draws, open_app, open_tab, settled_draws, severe_logs, until

pytestmark = pytest.mark.browser
WAIT = 60


def _basin_said(dash_duo) -> str:
    """What the basin tab shows when its map does not come: its notice, progress and summary."""
    parts = ("basin-notice", "basin-progress-box", "basin-summary")
    return " | ".join(dash_duo.find_element(f"#{i}").text for i in parts)


def _figure(dash_duo, gid, expr):
    return dash_duo.driver.execute_script(f"var g=document.querySelector('#{gid} .js-plotly-plot'); return {expr};")


def _click_cell(dash_duo, gid, x, y):
    """A click on the heatmap cell at data coordinates (x, y), through Plotly's own event."""
    dash_duo.driver.execute_script(
        f"var g=document.querySelector('#{gid} .js-plotly-plot');"
        f"g.emit('plotly_click', {{points: [{{x: {x}, y: {y}, curveNumber: 0}}], event: {{}}}});"
    )


def test_basin_map_shows_progress_then_four_basins_and_a_click_opens_that_start(dash_duo):
    open_app(dash_duo, "?surface=himmelblau")
    open_tab(dash_duo, "Basin map")
    count_draws(dash_duo, "basin-graph")
    dash_duo.find_element("#basin-run").click()
    assert until(lambda: "starts" in dash_duo.find_element("#basin-summary").text), _basin_said(dash_duo)
    # drawn once: its margins hold the axes' labels and the colour key from the start (automargin drew it twice)
    assert settled_draws(dash_duo, "basin-graph") == 1
    summary = dash_duo.find_element("#basin-summary").text
    assert summary.count("minimum") == 4 and "10,000 starts" in summary
    ticks = _figure(dash_duo, "basin-graph", "g.data[0].colorbar.ticktext")
    assert len(ticks) == 4
    assert dash_duo.find_element("#basin-run").is_enabled()
    _click_cell(dash_duo, "basin-graph", 3.5, -1.5)
    assert until(lambda: dash_duo.find_element("#start-x").get_attribute("value") == "3.5")
    assert dash_duo.find_element("#start-y").get_attribute("value") == "-1.5"
    assert "x=3.5" in dash_duo.driver.current_url
    assert "active" in dash_duo.find_elements("#view-tabs .nav-link")[0].get_attribute("class")
    assert severe_logs(dash_duo) == []


def test_a_long_basin_map_can_be_cancelled(dash_duo):
    open_app(dash_duo, "?surface=multimodal")
    open_tab(dash_duo, "Basin map")
    dash_duo.driver.execute_script(
        "var s=document.getElementById('basin-resolution');"
        "var set=Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype,'value').set;"
        "set.call(s,'200'); s.dispatchEvent(new Event('change',{bubbles:true}));"
    )
    steps = dash_duo.find_element("#basin-steps")
    steps.send_keys(Keys.CONTROL, "a")
    steps.send_keys("2000")
    dash_duo.find_element("#basin-run").click()
    assert until(lambda: dash_duo.find_element("#basin-cancel").is_enabled(), 20)
    assert until(lambda: dash_duo.find_element("#basin-progress-box").is_displayed(), 20)
    dash_duo.find_element("#basin-cancel").click()
    assert until(lambda: dash_duo.find_element("#basin-run").is_enabled(), 20)
    assert not dash_duo.find_element("#basin-progress-box").is_displayed()
    assert dash_duo.find_element("#basin-summary").text == ""  # cancelled: no map


def test_sweep_heatmap_and_a_click_loads_those_settings(dash_duo):
    open_app(dash_duo, "?surface=paraboloid&opt=sgd")
    open_tab(dash_duo, "Sweep")
    assert until(lambda: dash_duo.find_element("#sweep-second").get_attribute("value") == "rho")
    count_draws(dash_duo, "sweep-graph")
    dash_duo.find_element("#sweep-run").click()
    assert until(lambda: (_figure(dash_duo, "sweep-graph", "g.data && g.data.length") or 0) >= 2)
    assert settled_draws(dash_duo, "sweep-graph") == 1  # its margins hold the labels and the colour key from the start
    assert _figure(dash_duo, "sweep-graph", "g.layout.xaxis.type") == "log"
    assert _figure(dash_duo, "sweep-graph", "g.data[0].z.length") == 30
    dash_duo.find_element("#sweep-metric input[value='outcome']").click()
    assert until(lambda: "ticktext" in str(_figure(dash_duo, "sweep-graph", "JSON.stringify(g.data[0].colorbar)")))
    _click_cell(dash_duo, "sweep-graph", 0.01, 0.5)
    assert until(lambda: "momentum.lr=0.01" in dash_duo.driver.current_url)
    assert "momentum.rho=0.5" in dash_duo.driver.current_url
    assert until(lambda: dash_duo.find_elements("#row-momentum"))
    assert severe_logs(dash_duo) == []


def test_compare_surfaces_draws_small_multiples(dash_duo):
    open_app(dash_duo, "?opt=adam,sgd")
    open_tab(dash_duo, "Compare surfaces")
    assert until(lambda: len(dash_duo.find_elements("#compare-grid .js-plotly-plot")) == 4)
    titles = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('#compare-grid .js-plotly-plot')].map(g => g.layout.title.text);"
    )
    assert titles == ["Paraboloid", "Multimodal (seed)", "Monkey saddle", "Rosenbrock"]
    assert "Adam" in dash_duo.find_element("#compare-grid").text
    assert "SGD" in dash_duo.find_element("#compare-grid").text
    # while the tab is open, the small multiples follow the main view's link (assets/explore.js)
    dash_duo.find_element("#rules input[value='sgd']").click()
    assert until(lambda: "SGD" not in dash_duo.find_element("#compare-grid").text)
    assert "Adam" in dash_duo.find_element("#compare-grid").text
    assert severe_logs(dash_duo) == []


def test_own_formula_explains_errors_at_their_position_and_runs_when_valid(dash_duo):
    open_app(dash_duo, "?surface=custom&f=x^2%2By^2&view=-3:3:-3:3&opt=sgd")
    assert "Your formula" in _figure(dash_duo, "graph-3d", "g.layout.title.text")
    box = dash_duo.find_element("#formula")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("x^2 + foo(y)", Keys.ENTER)
    dash_duo.wait_for_contains_text("#formula-feedback", "not an allowed function", timeout=WAIT)
    assert dash_duo.find_element("#formula-feedback pre").text == "x^2 + foo(y)\n      ^"  # under "foo"
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("(x-1)^2 + 2*(y+0.5)^2", Keys.ENTER)
    dash_duo.wait_for_contains_text("#formula-feedback", "ready", timeout=WAIT)
    assert until(lambda: "f=(x-1)^2 + 2*(y+0.5)^2&" in unquote_plus(dash_duo.driver.current_url))
    dash_duo.wait_for_contains_text("#row-sgd", "converged", timeout=WAIT)
    assert severe_logs(dash_duo) == []


def test_a_lesson_covers_the_run_until_the_prediction_is_checked(dash_duo):
    open_app(dash_duo, "?lesson=noise-and-sgd&lstep=4")
    card = dash_duo.find_element("#lesson-card")
    assert "step 4 of 4" in card.text and "learning rate 1.1" in card.text
    assert "lesson-covered" in dash_duo.find_element("#tabs-wrap").get_attribute("class")
    assert dash_duo.find_elements("#group-surface fieldset.locked[disabled]")  # locked by the lesson
    assert not dash_duo.find_elements("#group-steps fieldset.locked")
    dash_duo.find_element("#lesson-check").click()
    dash_duo.wait_for_contains_text("#lesson-feedback", "Pick one answer first", timeout=WAIT)
    dash_duo.find_element("#lesson-choice input[value='0']").click()  # "arrives faster": wrong
    dash_duo.find_element("#lesson-check").click()
    dash_duo.wait_for_contains_text("#lesson-feedback", "Not quite", timeout=WAIT)
    assert "diverges" in dash_duo.find_element("#lesson-feedback").text
    assert "lesson-covered" not in dash_duo.find_element("#tabs-wrap").get_attribute("class")
    dash_duo.find_element("#lesson-card a.btn").click()  # ← Previous
    dash_duo.wait_for_contains_text("#lesson-card", "step 3 of 4", timeout=WAIT)
    assert "lstep=3" in dash_duo.driver.current_url
    assert severe_logs(dash_duo) == []


def test_embed_dialog_builds_a_copyable_snippet(dash_duo):
    open_app(dash_duo, "?surface=rosenbrock&opt=adam")
    dash_duo.find_element("#embed-open").click()
    dash_duo.wait_for_element("#embed-code", timeout=WAIT)
    assert until(lambda: "<iframe" in (dash_duo.find_element("#embed-code").get_attribute("value") or ""))
    dash_duo.find_element("#embed-theme input[value='dark']").click()
    height = dash_duo.find_element("#embed-height")
    height.send_keys(Keys.CONTROL, "a")
    height.send_keys("500")
    assert until(lambda: 'height="500"' in dash_duo.find_element("#embed-code").get_attribute("value"))
    code = dash_duo.find_element("#embed-code").get_attribute("value")
    assert "theme=dark" in code and "embed=1" in code and "surface=rosenbrock" in code
    src = dash_duo.find_element("#embed-preview").get_attribute("href")
    dash_duo.driver.get(src)  # the embedded page itself: no header, the chosen parts only
    dash_duo.wait_for_element("#graph-contour .js-plotly-plot", timeout=WAIT)
    assert not dash_duo.find_element("#header").is_displayed()
    assert dash_duo.find_element("#group-optimizers").is_displayed()
    assert not dash_duo.find_element("#group-noise").is_displayed()
    assert severe_logs(dash_duo) == []


def test_a_basin_map_asked_for_at_once_uses_the_links_surface(dash_duo):
    """Clicking Compute before the main view has answered still maps the link's surface."""
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/?surface=rosenbrock&opt=adam")
    dash_duo.wait_for_element("#basin-run", timeout=WAIT)
    open_tab(dash_duo, "Basin map")
    dash_duo.find_element("#basin-run").click()
    assert until(lambda: "starts" in dash_duo.find_element("#basin-summary").text), _basin_said(dash_duo)
    assert "minimum 1 (1, 1)" in dash_duo.find_element("#basin-summary").text
