"""The page in German, in real headless Chromium: ``/?lang=de`` shows the header, the control
panel's group labels, the summary and Plotly's own interface in German; the switch goes back to
English and keeps the scene."""

from selenium.webdriver.common.keys import Keys

from tests.browser_helpers import WAIT, open_app, severe_logs, until

SCENE = "?surface=rosenbrock&opt=adam,sgd&steps=300&lang=de"


def _text(dash_duo, css: str) -> str:
    return dash_duo.find_element(css).text


def test_lang_de_shows_the_header_panel_and_summary_in_german(dash_duo):
    open_app(dash_duo, SCENE)
    browser = dash_duo.driver
    assert browser.execute_script("return document.documentElement.lang") == "de"
    assert until(lambda: "Link kopieren" in _text(dash_duo, "#header"))
    header = _text(dash_duo, "#header")
    assert "Gradientenabstieg" in header and "Hell" in header and "Copy link" not in header
    assert "Exportieren" in header and "Einbetten" in header
    tabs = _text(dash_duo, "#view-tabs")
    assert "Läufe" in tabs and "Einzugsgebiete" in tabs and "Runs" not in tabs
    assert until(lambda: _text(dash_duo, "#surface-label") == "Fläche")
    labels = [_text(dash_duo, f"#{target}-label") for target in ("surface", "roughness", "grad-noise", "seed", "steps")]
    assert labels == ["Fläche", "Rauheit der Fläche", "Gradientenrauschen σ", "Zufalls-Startwert", "Schritte"]
    assert _text(dash_duo, "#rules-label") == "Optimierer"
    assert until(lambda: "Schritt" in _text(dash_duo, "#summary"), WAIT)
    summary = _text(dash_duo, "#summary")
    assert " step " not in summary and "Adam" in summary
    table = _text(dash_duo, "#results-table")
    assert "Verlust am Ende" in table and "Final loss" not in table
    locale = "const g = document.querySelector('#graph-contour .js-plotly-plot'); return g && g._context.locale;"
    assert until(lambda: browser.execute_script(locale) == "de")
    modebar = "return [...document.querySelectorAll('#graph-contour .modebar-btn')].map(b => b.dataset.title);"
    browser.execute_script(
        "document.querySelector('#graph-contour .js-plotly-plot').dispatchEvent(new Event('mousemove'))"
    )
    titles = browser.execute_script(modebar)
    assert "Achsen zurücksetzen" in titles or "Grafik als PNG herunterladen" in titles, titles
    logs = severe_logs(dash_duo)
    assert not logs, logs
    assert "lang=de" in browser.current_url  # the link the panel writes keeps the language


def test_the_switch_goes_to_english_and_keeps_the_scene(dash_duo):
    open_app(dash_duo, SCENE)
    steps = dash_duo.find_element("#steps")
    steps.send_keys(Keys.CONTROL, "a")
    steps.send_keys("321", Keys.ENTER)  # a change after the page loaded: the switch must keep it too
    link = dash_duo.find_element("#lang-en")
    assert until(lambda: "steps=321" in link.get_attribute("href")), link.get_attribute("href")
    assert "surface=rosenbrock" in link.get_attribute("href")
    link.click()
    assert until(lambda: "Copy link" in _text(dash_duo, "#header"))
    url = dash_duo.driver.current_url
    assert "surface=rosenbrock" in url and "lang=en" in url and "steps=321" in url
    assert dash_duo.driver.execute_script("return document.documentElement.lang") == "en"
    assert until(lambda: _text(dash_duo, "#surface-label") == "Surface")
    assert until(lambda: " step " in _text(dash_duo, "#summary"), WAIT)
