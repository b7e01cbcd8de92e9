"""The grouped optimizer list in real headless Chromium: headings without boxes, a line on each rule,
the Muon/SparseAdam note, and a newer rule ticked, drawn with its second point, and inspected."""

import pytest

from tests.browser_helpers import open_app, severe_logs, until

pytestmark = pytest.mark.browser
WAIT = 40


def _visible_contour_names(dash_duo):
    return dash_duo.driver.execute_script(
        "var g=document.querySelector('#graph-contour .js-plotly-plot');"
        "return g.data.filter(function(t){return t.visible !== false && t.name;}).map(function(t){return t.name;});"
    )


def test_grouped_list_and_a_newer_rule_with_its_averaged_point(dash_duo):
    open_app(dash_duo, "?surface=rosenbrock&opt=sgd&sgd.lr=0.001&steps=200&asgd.t0=20&asgd.lr=0.001")
    text = dash_duo.find_element("#rules").text
    for heading in ("Classic", "Adaptive", "Modern", "Schedule-Free AdamW", "every coordinate moves exactly lr"):
        assert heading in text
    heading_box = dash_duo.find_element("#rules input[value='group:modern']")
    assert not heading_box.is_displayed() and heading_box.get_attribute("disabled") is not None
    assert "Muon" in dash_duo.find_element("#not-offered").text

    for rule in ("asgd", "schedulefree_sgd"):
        box = dash_duo.find_element(f"#rules input[value='{rule}']")
        dash_duo.driver.execute_script("arguments[0].click();", box)
        dash_duo.wait_for_element(f"#row-{rule}", timeout=WAIT)
    assert until(lambda: "Schedule-Free SGD: x: the average of the z sequence" in _visible_contour_names(dash_duo))
    assert "ASGD: ax: the averaged iterate" in _visible_contour_names(dash_duo)
    assert until(lambda: "opt=sgd,asgd,schedulefree_sgd" in dash_duo.driver.current_url)
    assert "asgd.t0=20" in dash_duo.driver.current_url
    assert severe_logs(dash_duo) == []


def test_inspecting_rprop_from_a_link(dash_duo):
    open_app(dash_duo, "?surface=rosenbrock&opt=rprop&rprop.etaplus=1.5&steps=100&k=10&inspect=rprop")
    dash_duo.wait_for_contains_text("#inspector-table", "this coordinate's step size", timeout=WAIT)
    assert dash_duo.find_element('input[name="rprop-etaplus"]').get_attribute("value") == "1.5"
    assert severe_logs(dash_duo) == []
