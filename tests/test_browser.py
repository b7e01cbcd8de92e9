"""The real app in real headless Chromium (dash[testing]'s dash_duo): what a new user does."""

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.browser_helpers import open_app, severe_logs, until

pytestmark = pytest.mark.browser
WAIT = 40


def _rows(dash_duo):
    """The results table's rows by id, read in one go inside the page (a redraw cannot come between)."""
    return dash_duo.driver.execute_script(
        "var o = {}; document.querySelectorAll('#results-table tbody tr')"
        ".forEach(function (r) { o[r.id] = r.innerText; }); return o;"
    )


def _trace_count(dash_duo, gid):
    return dash_duo.driver.execute_script(
        f"var g=document.querySelector('#{gid} .js-plotly-plot'); return g && g.data ? g.data.length : 0;"
    )


def _title(dash_duo, gid):
    return dash_duo.driver.execute_script(
        f"var g=document.querySelector('#{gid} .js-plotly-plot'); return g.layout.title.text;"
    )


def test_page_loads_with_three_views_table_and_no_console_errors(dash_duo):
    open_app(dash_duo)
    for gid in ("graph-3d", "graph-contour", "graph-loss"):
        dash_duo.wait_for_element(f"#{gid} .js-plotly-plot", timeout=WAIT)
        assert _trace_count(dash_duo, gid) > 10
    assert set(_rows(dash_duo)) == {f"row-{r}" for r in ("sgd", "momentum", "nesterov", "rmsprop", "adam")}
    assert "Multimodal" in _title(dash_duo, "graph-3d")
    assert "reached the minimum" in dash_duo.find_element("#summary").text
    assert severe_logs(dash_duo) == []


def test_changing_surface_learning_rate_and_optimizers_redraws(dash_duo):
    open_app(dash_duo)
    Select(dash_duo.find_element("#surface")).select_by_visible_text("Rosenbrock")
    dash_duo.wait_for_contains_text("#summary", "", timeout=WAIT)
    deadline = time.time() + WAIT
    while "Rosenbrock" not in _title(dash_duo, "graph-3d") and time.time() < deadline:
        time.sleep(0.2)
    assert "Rosenbrock" in _title(dash_duo, "graph-3d")
    assert dash_duo.find_element("#start-x").get_attribute("value") == "-1.5"

    before = _rows(dash_duo)["row-sgd"]
    button = dash_duo.find_element("#hyper-accordion .accordion-button")  # open SGD's settings
    dash_duo.driver.execute_script("arguments[0].click();", button)
    box = dash_duo.find_element('input[name="sgd-lr"]')
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("0.9", Keys.ENTER)
    dash_duo.wait_for_contains_text("#row-sgd", "diverged", timeout=WAIT)
    assert _rows(dash_duo)["row-sgd"] != before

    box = dash_duo.find_element("#rules input[value='adagrad']")
    dash_duo.driver.execute_script("arguments[0].click();", box)
    dash_duo.wait_for_element("#row-adagrad", timeout=WAIT)
    assert severe_logs(dash_duo) == []


def test_clicking_the_contour_map_moves_the_start(dash_duo):
    open_app(dash_duo)
    before = dash_duo.find_element("#start-x").get_attribute("value")
    drag = dash_duo.find_element("#graph-contour .nsewdrag")
    ActionChains(dash_duo.driver).move_to_element_with_offset(drag, 40, 30).click().perform()
    deadline = time.time() + WAIT
    while dash_duo.find_element("#start-x").get_attribute("value") == before and time.time() < deadline:
        time.sleep(0.2)
    assert dash_duo.find_element("#start-x").get_attribute("value") != before
    assert "x=" in dash_duo.driver.current_url


def test_a_copied_url_restores_the_scene(dash_duo):
    open_app(dash_duo, "?surface=himmelblau&x=0.5&y=-0.5&steps=300&opt=adam&adam.lr=0.05&seed=3")
    assert until(lambda: Select(dash_duo.find_element("#surface")).first_selected_option.text == "Himmelblau")
    assert set(_rows(dash_duo)) == {"row-adam"}
    assert dash_duo.find_element('input[name="adam-lr"]').get_attribute("value") == "0.05"
    assert dash_duo.find_element("#steps").get_attribute("value") == "300"
    assert dash_duo.find_element("#start-y").get_attribute("value") == "-0.5"
    url = dash_duo.driver.current_url
    assert "surface=himmelblau" in url and "adam.lr=0.05" in url


def test_bad_url_shows_a_notice_not_an_error(dash_duo):
    open_app(dash_duo, "?steps=banana&surface=nowhere&adam.lr=-1")
    dash_duo.wait_for_element("#notice-alert", timeout=WAIT)
    text = dash_duo.find_element("#notice-alert").text
    assert "steps" in text and "unknown" in text
    assert severe_logs(dash_duo) == []


def test_embed_mode_hides_the_controls(dash_duo):
    open_app(dash_duo, "?embed=1&hide=playback")
    assert not dash_duo.find_element("#controls-col").is_displayed()
    assert not dash_duo.find_element("#group-playback").is_displayed()
    assert dash_duo.find_element("#graph-3d").is_displayed()


def test_playback_moves_the_marker_in_the_browser(dash_duo):
    open_app(dash_duo)
    dash_duo.wait_for_element("#graph-contour .js-plotly-plot", timeout=WAIT)
    dash_duo.find_element("#step-one").click()
    dash_duo.find_element("#step-one").click()
    dash_duo.wait_for_text_to_equal("#step-label", "Step 2", timeout=WAIT)
    moved = dash_duo.driver.execute_script("""
        var g=document.querySelector('#graph-contour .js-plotly-plot');
        var t=g.data.filter(function(d){return d.name==='SGD now';})[0];
        return [t.x[0], t.y[0]];""")
    assert moved != [-2, 2]


def test_keyboard_user_dark_theme_and_named_sliders(dash_duo):
    open_app(dash_duo, "?theme=dark")
    html_el = dash_duo.find_element("html")
    assert html_el.get_attribute("data-bs-theme") == "dark"
    text_colour = dash_duo.driver.execute_script(
        "return getComputedStyle(document.documentElement).getPropertyValue('--Dash-Text-Strong').trim();"
    )
    assert text_colour == "#f8f9fa"  # dcc's sliders and dropdowns follow the dark theme
    unnamed = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('[role=slider]')).filter(function (t) {"
        "  return !t.getAttribute('aria-label'); }).length;"
    )
    assert unnamed == 0

    dash_duo.find_element("body").send_keys(Keys.TAB)  # the first Tab reaches the skip link
    assert dash_duo.driver.switch_to.active_element.text == "Skip to the charts"

    thumb = dash_duo.find_element("#roughness [role=slider]")
    assert thumb.get_attribute("aria-label") == "Surface roughness"
    thumb.send_keys(Keys.ARROW_RIGHT)  # a keyboard change reruns the engine, as a drag would
    deadline = time.time() + WAIT
    while "rough=0.1" not in dash_duo.driver.current_url and time.time() < deadline:
        time.sleep(0.2)
    assert "rough=0.1" in dash_duo.driver.current_url
    assert severe_logs(dash_duo) == []


def _downloaded(dash_duo, suffix: str) -> str:
    import pathlib

    deadline = time.time() + WAIT
    while time.time() < deadline:
        files = [p for p in pathlib.Path(dash_duo.download_path).glob(f"*{suffix}") if p.stat().st_size]
        if files:
            return files[0].read_text()
        time.sleep(0.3)
    raise AssertionError(f"no {suffix} file was downloaded")


def test_export_menu_downloads_data_and_a_runnable_script(dash_duo):
    # Chromium holds back a page's second download, and a script (.py) fetched without a user's
    # gesture, until the user confirms it ("Unconfirmed ….crdownload"); WebDriver's script clicks are
    # no gesture, so downloads are let through here as that confirmation would
    dash_duo.driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(dash_duo.download_path)}
    )
    open_app(dash_duo, "?surface=paraboloid&steps=50&opt=sgd,adam")
    for item, suffix in (("#export-csv", "-csv.csv"), ("#export-numpy", "-numpy.py")):
        dash_duo.driver.execute_script("document.querySelector('#export-menu .dropdown-toggle').click();")
        dash_duo.driver.execute_script(f"document.querySelector('{item}').click();")
        text = _downloaded(dash_duo, suffix)
        if suffix.endswith(".csv"):
            assert text.startswith("step,optimizer,x,y,loss,grad_x,grad_y") and len(text.splitlines()) == 1 + 2 * 51
        else:
            assert text.startswith('"""Reproduces') and "def sgd_update(" in text and "def adam_update(" in text


def test_events_are_marked_on_the_loss_chart_and_told_in_the_summary(dash_duo):
    open_app(dash_duo, "?surface=paraboloid&steps=100&opt=sgd,adam&sgd.lr=1.5")
    dash_duo.wait_for_contains_text("#summary", "above 2/λ", timeout=WAIT)
    kinds = dash_duo.driver.execute_script(
        "var g=document.querySelector('#graph-loss .js-plotly-plot');"
        "return g.data.filter(function(t){return t.name==='SGD events';})[0].meta.events;"
    )
    assert kinds == ["diverged"]
    assert dash_duo.driver.execute_script(  # the summary is the charts' accessible description
        "return !!document.querySelector('[aria-describedby=summary] #graph-loss');"
    )


def test_inspector_and_arrows_follow_the_scrubber_and_the_link(dash_duo):
    open_app(dash_duo, "?surface=multimodal&opt=sgd,nesterov&gnoise=0.5&steps=200&k=30&inspect=nesterov")
    dash_duo.wait_for_text_to_equal("#inspect-step", "30", timeout=WAIT)
    dash_duo.wait_for_contains_text("#inspector-table", "velocity", timeout=WAIT)

    def arrow_texts():
        return dash_duo.driver.execute_script(
            "var g=document.querySelector('#graph-contour .js-plotly-plot');"
            "return (g.layout.annotations || []).map(function (a) { return a.name; });"
        )

    deadline = time.time() + WAIT
    while "look-ahead θ − lr·ρ·v" not in arrow_texts() and time.time() < deadline:
        time.sleep(0.2)
    assert "−lr·g (noisy gradient used)" in arrow_texts() and "look-ahead θ − lr·ρ·v" in arrow_texts()
    dash_duo.find_element("#step-one").click()
    dash_duo.wait_for_text_to_equal("#inspect-step", "31", timeout=WAIT)
    deadline = time.time() + WAIT
    while "k=31" not in dash_duo.driver.current_url and time.time() < deadline:
        time.sleep(0.2)
    assert "k=31" in dash_duo.driver.current_url and "inspect=nesterov" in dash_duo.driver.current_url
    assert severe_logs(dash_duo) == []


def test_a_noisy_ensemble_draws_a_cloud_and_a_band(dash_duo):
    open_app(dash_duo, "?surface=paraboloid&opt=adam&gnoise=1&ens=40&steps=300")
    names = dash_duo.driver.execute_script(
        "var g=document.querySelector('#graph-loss .js-plotly-plot');"
        "return g.data.filter(function(t){return t.visible !== false && t.name;}).map(function(t){return t.name;});"
    )
    assert "Adam 10-90 % of 40 seeds" in names and "Adam median of 40 seeds" in names
    assert dash_duo.find_element("#ensemble [role=slider]").get_attribute("aria-valuenow") == "40"
    assert severe_logs(dash_duo) == []


def test_choosing_a_schedule_relabels_its_settings_and_draws_the_learning_rate(dash_duo):
    open_app(dash_duo, "?opt=adam&steps=300")
    assert not dash_duo.find_element("#group-lr").is_displayed()
    button = dash_duo.find_element("#hyper-accordion .accordion-button")  # Adam's settings, the only ones shown
    dash_duo.driver.execute_script("arguments[0].click();", button)
    select = dash_duo.find_element('select[name="adam-sched-kind"]')
    dash_duo.driver.execute_script(
        "var s=arguments[0]; var set=Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype,'value').set;"
        "set.call(s,'cosine'); s.dispatchEvent(new Event('change',{bubbles:true}));",
        select,
    )
    deadline = time.time() + WAIT
    while "adam.sched=cosine" not in dash_duo.driver.current_url and time.time() < deadline:
        time.sleep(0.2)
    assert "adam.sched=cosine:0.0:0.0" in dash_duo.driver.current_url
    label = dash_duo.driver.execute_script(
        'return document.getElementById(\'{"name":"a","rule":"adam","type":"sched-label"}\').textContent;'
    )
    assert label.startswith("period T_max")
    dash_duo.wait_for_element("#group-lr .js-plotly-plot", timeout=WAIT)
    assert dash_duo.find_element("#group-lr").is_displayed()
    assert severe_logs(dash_duo) == []


def test_the_learning_rate_slider_and_box_stay_in_step_in_the_browser(dash_duo):
    open_app(dash_duo, "?opt=adam&steps=200")
    button = dash_duo.find_element("#hyper-accordion .accordion-button")  # Adam's settings, the only ones shown
    dash_duo.driver.execute_script("arguments[0].click();", button)
    thumb = dash_duo.find_element('[id=\'{"rule":"adam","type":"lr-slider"}\'] [role=slider]')
    thumb.send_keys(Keys.ARROW_RIGHT)  # log10(lr) -1 -> -0.99
    deadline = time.time() + WAIT
    while dash_duo.find_element('input[name="adam-lr"]').get_attribute("value") != "0.102" and time.time() < deadline:
        time.sleep(0.2)
    assert dash_duo.find_element('input[name="adam-lr"]').get_attribute("value") == "0.102"
    while "adam.lr=0.102" not in dash_duo.driver.current_url and time.time() < deadline:
        time.sleep(0.2)
    assert "adam.lr=0.102" in dash_duo.driver.current_url
    box = dash_duo.find_element('input[name="adam-lr"]')
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("0.001", Keys.ENTER)
    deadline = time.time() + WAIT
    while thumb.get_attribute("aria-valuenow") != "-3" and time.time() < deadline:
        time.sleep(0.2)
    assert thumb.get_attribute("aria-valuenow") == "-3"
    assert severe_logs(dash_duo) == []
