"""In real headless Chromium: a scene with an ensemble and rules with and without a second point
(each rule's traces are only those it has, ``app.runs.figures.roles_2d``): a learning-rate change comes
as a Patch and lands on Adam's traces, the paused scrubber moves every marker, and a legend click on
the loss chart hides the rule's traces in the other views (``assets/playback.js``, syncLegend)."""

import time

import pytest
from selenium.webdriver.common.keys import Keys

from bench.browser import ADAM_LR, press
from tests.browser_helpers import WAIT, open_app, severe_logs, until

pytestmark = pytest.mark.browser
QUERY = "?surface=rosenbrock&opt=sgd,adam,asgd,lbfgs&gnoise=0.05&ens=6&steps=120"

# every answer the page gets: "patch" when its 3-D figure is a Patch, "whole" when a whole figure
WATCH = """
window.__answers = [];
if (!window.__watched) {
  window.__watched = true;
  var fetch0 = window.fetch;
  window.fetch = function () {
    return fetch0.apply(this, arguments).then(function (r) {
      r.clone().text().then(function (t) {
        if (t.indexOf('"graph-3d"') < 0) return;
        var fig = JSON.parse(t).response['graph-3d'].figure;
        window.__answers.push(fig && fig.__dash_patch_update ? 'patch' : 'whole');
      });
      return r;
    });
  };
}
"""

# A graph out of view keeps its new figure until it comes into view (app/assets/in-view.js): read as
# the page's own code reads a graph, its waiting figure drawn first.
TRACES = """
var gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
window.inView.flush(gd);
return gd.data.map(function (t) {
  var m = t.meta || {};
  return {rule: m.rule || null, role: m.role || t.type, uid: t.uid || null,
          visible: t.visible === undefined ? true : t.visible,
          n: t.x && (t.x.length !== undefined ? t.x.length : 1), name: t.name || ''};
});
"""


def _traces(driver, gid: str) -> list[dict]:
    return driver.execute_script(TRACES, gid)


def _roles(traces: list[dict], rule: str) -> list[str]:
    return [t["role"] for t in traces if t["rule"] == rule]


def test_a_mixed_ensemble_scene_patches_moves_markers_and_syncs_the_legend(dash_duo):
    open_app(dash_duo, QUERY)
    driver = dash_duo.driver
    contour = _traces(driver, "graph-contour")
    assert {r: _roles(contour, r) for r in ("sgd", "adam", "asgd", "lbfgs")} == {
        "sgd": ["line", "end", "now", "cloud"],
        "adam": ["line", "end", "now", "cloud"],
        "asgd": ["line", "end", "now", "cloud", "second"],
        "lbfgs": ["line", "end", "now", "cloud"],
    }
    assert len(_traces(driver, "graph-loss")) == 4 * 6  # line, now, events, band low/high, median each
    assert not [t for t in contour if t["rule"] and (t["n"] == 0 or t["visible"] is False)]

    # Adam's learning rate: a Patch, on Adam's traces only
    driver.execute_script(
        "Array.from(document.querySelectorAll('#hyper-accordion .accordion-button'))"
        ".filter(function (b) { return b.textContent.trim().indexOf('Adam') === 0; })[0].click();"
    )
    time.sleep(0.5)
    driver.execute_script(WATCH)
    before = {g: _traces(driver, g) for g in ("graph-3d", "graph-contour", "graph-loss")}
    press(driver, ADAM_LR, Keys.ARROW_RIGHT)()
    assert until(lambda: "adam.lr=" in driver.current_url)
    assert until(lambda: driver.execute_script("return window.__answers.length") > 0)
    time.sleep(1.0)
    assert driver.execute_script("return window.__answers") == ["patch"]
    for gid, old in before.items():
        new = _traces(driver, gid)
        assert [(t["rule"], t["role"], t["uid"]) for t in new] == [(t["rule"], t["role"], t["uid"]) for t in old]
    loss = _traces(driver, "graph-loss")
    assert [t["name"] for t in loss if t["rule"] == "adam" and t["role"] == "band"][1].startswith("Adam 10-90 %")

    # the paused scrubber: every rule's marker moves to the new step on its own line
    press(driver, "#step", Keys.ARROW_RIGHT)()
    dash_duo.wait_for_text_to_equal("#inspect-step", "1", timeout=WAIT)
    time.sleep(1.0)
    marker = (
        "var gd = document.querySelector('#graph-loss .js-plotly-plot'); window.inView.flush(gd);"
        "return gd.data.filter(function (t) { return t.meta && t.meta.role === 'now'; })"
        ".map(function (t) { return [t.meta.rule, t.x[0]]; });"
    )
    assert sorted(driver.execute_script(marker)) == [["adam", 1], ["asgd", 1], ["lbfgs", 1], ["sgd", 1]]

    # a legend click on the loss chart hides that rule's traces in the other views, and only those
    driver.execute_script(
        "var gd = document.querySelector('#graph-loss .js-plotly-plot');"
        "var i = gd.data.findIndex(function (t) {"
        "  return t.meta && t.meta.rule === 'asgd' && t.meta.role === 'line'; });"
        "window.Plotly.restyle(gd, {visible: 'legendonly'}, [i]);"
    )

    def hidden(gid: str) -> set:
        return {t["rule"] for t in _traces(driver, gid) if t["rule"] and t["visible"] is False}

    assert until(lambda: hidden("graph-contour") == {"asgd"} and hidden("graph-3d") == {"asgd"})
    assert _roles([t for t in _traces(driver, "graph-contour") if t["visible"] is False], "asgd") == _roles(
        contour, "asgd"
    )
    assert severe_logs(dash_duo) == []
