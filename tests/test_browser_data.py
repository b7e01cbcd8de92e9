"""Loss from data in real headless Chromium: the data panel appears with the batch and the fits, the
batch-size slider changes the run, a good upload becomes the data and a bad one is named and refused."""

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser_helpers import open_app, severe_logs, until

pytestmark = pytest.mark.browser


# Looking at the data panel: out of view, it keeps its new figure until it comes into view
# (app/assets/in-view.js), and the batch slider and the upload sit far above it.
LOOK = "var g=document.querySelector('#graph-data .js-plotly-plot'); if (g) g.scrollIntoView({block: 'center'});"


def _data_traces(dash_duo) -> list:
    return dash_duo.driver.execute_script(
        LOOK + "return g && g.data ? g.data.map(function (t) { return t.name; }) : [];"
    )


def test_data_panel_shows_points_batch_and_fits_and_the_batch_slider_changes_the_run(dash_duo):
    open_app(dash_duo, "?surface=data&model=linear&n=100&batch=10&steps=120&opt=sgd,adam")
    assert until(lambda: dash_duo.find_element("#data-panel").is_displayed())
    assert until(lambda: any("B = 10" in (n or "") for n in _data_traces(dash_duo))), _data_traces(dash_duo)
    names = _data_traces(dash_duo)
    assert "data" in names and any(n.startswith("SGD at step") for n in names), names
    assert dash_duo.find_element("#data-box").is_displayed()
    handle = dash_duo.find_element("#data-batch [role=slider]")
    handle.send_keys(Keys.HOME)  # B = 1: pure SGD
    assert until(lambda: "batch=1&" in dash_duo.driver.current_url or dash_duo.driver.current_url.endswith("batch=1"))
    assert until(lambda: any("B = 1)" in (n or "") for n in _data_traces(dash_duo))), _data_traces(dash_duo)
    assert severe_logs(dash_duo) == []


def test_a_good_upload_becomes_the_data_and_a_bad_one_is_named(dash_duo, tmp_path):
    good = tmp_path / "line.csv"
    # 900 rows, about 30 KB: more than any other text a request may carry (the guard's upload stores)
    good.write_text("x,y\n" + "".join(f"{i / 100:.12f},{0.5 * i / 100 + 1:.12f}\n" for i in range(900)))
    bad = tmp_path / "broken.csv"
    bad.write_text("x,y\n1,2\n3,abc\n")
    open_app(dash_duo, "?surface=data&model=linear&n=100&batch=10&steps=100&opt=adam")
    upload = dash_duo.find_element("#data-upload-file input[type=file]")
    upload.send_keys(str(good))
    message = dash_duo.find_element("#data-upload-message")
    assert until(lambda: "900 rows read" in message.text), message.text
    assert until(lambda: "data=upload" in dash_duo.driver.current_url)
    assert until(lambda: "not in the link" in dash_duo.find_element("#data-link-note").text)
    assert until(
        lambda: (
            "900 points"
            in dash_duo.driver.execute_script(LOOK + "return g && g.layout ? JSON.stringify(g.layout.title) : '';")
        )
    )
    upload = dash_duo.find_element("#data-upload-file input[type=file]")
    upload.send_keys(str(bad))
    assert until(lambda: "row 3, column y: 'abc' is not a number" in message.text), message.text
    assert severe_logs(dash_duo) == []
