"""Issue #14's degenerate scenes in real headless Chromium: each opens with its notice, and the
browser logs no error (a view narrower than WebGL can scale, a formula undefined everywhere, values
beyond float32, a run diverging to 1e114)."""

import pytest

from tests.browser_helpers import WAIT, open_app, severe_logs, until

pytestmark = pytest.mark.browser

SCENES = [
    ("?surface=custom&f=x^2&view=0:5e-324:0:5e-324", "must be at least 0.01 wide"),
    ("?surface=custom&f=log(-x^2-1)", "has no finite value"),
    ("?surface=custom&f=sqrt(-x^2-y^2)", "has no finite value"),
    ("?surface=custom&f=x^64&view=-1000:1000:-1000:1000", "the charts draw values up to"),
    ("?surface=custom&f=x^20%2By^2&view=-2:2:-2:2&k=2", None),
    ("?surface=custom&f=x^30%2By^2&view=-10:10:-10:10&log=1", None),
    ("?surface=custom&f=1/x", None),
    ("?surface=custom&f=x^2&view=999.8:1000:0:0.01", None),
]


def _drawn(driver) -> bool:
    """All three charts drawn, the 3-D one with its WebGL scene."""
    return driver.execute_script(
        "return ['graph-3d', 'graph-contour', 'graph-loss'].every(function (id) {"
        "  var g = document.querySelector('#' + id + ' .js-plotly-plot');"
        "  return g && g._fullLayout && g.data && g.data.length > 3; })"
        " && !!document.querySelector('#graph-3d .js-plotly-plot')._fullLayout.scene._scene;"
    )


def test_degenerate_scenes_open_with_a_notice_and_no_browser_error(dash_duo):
    open_app(dash_duo)
    severe_logs(dash_duo)  # start from a clean log
    for query, notice in SCENES:
        dash_duo.driver.get(dash_duo.server_url + "/" + query)
        dash_duo.wait_for_element("#results-table", timeout=WAIT)
        assert until(lambda: _drawn(dash_duo.driver)), query
        if notice:
            dash_duo.wait_for_contains_text("#notices", notice, timeout=WAIT)
        until(lambda: False, timeout=1.5)  # let WebGL draw a frame or two
        assert severe_logs(dash_duo) == [], query
