"""The page in German, in real headless Chromium: ``/?lang=de`` shows the header, the control
panel's group labels, the summary and Plotly's own interface in German; the switch goes back to
English and keeps the scene."""

import re
import time

from selenium.webdriver.common.keys import Keys

from tests.browser_helpers import WAIT, open_app, open_tab, severe_logs, until

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


# Every piece of text a visitor can read: the page's text, the titles, labels and placeholders of
# visible elements, and the text Plotly draws in its SVG (titles, axes, legends, annotations).
VISIBLE_TEXT = """
const shown = el => {
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
};
const out = [document.title, document.body.innerText];
for (const el of document.querySelectorAll('[title],[aria-label],[placeholder],[alt]')) {
  if (!shown(el)) continue;
  for (const a of ['title', 'aria-label', 'placeholder', 'alt']) {
    const v = el.getAttribute(a);
    if (v) out.push(v);
  }
}
for (const t of document.querySelectorAll('.js-plotly-plot svg text')) if (shown(t)) out.push(t.textContent);
return out.join('\\n');
"""

# Names that stay as they are in every language (optimizers, surfaces, libraries, symbols).
ALLOWED = (
    *(rule.label for rule in __import__("optimizers").RULES.values()),
    *(__import__("landscapes").get(name).label for name in __import__("landscapes").NAMES),
    "torch.optim",
    "DataLoader(shuffle=True)",
    "drop_last",
    "PyTorch",
    "Plotly",
)
# English words and phrases an interface in German must not show (whole words, case as written).
ENGLISH = re.compile(
    r"\b(the|and|of|with|from|is|are|to|at|for|this|your|you|step|steps|Step|Steps|Learning rate|learning rate|"
    r"Compute|Run|Show|Hide|Click|Copy|Light|Dark|Lesson|Lessons|Surface|surface|Optimizer|optimizer|Loss|loss|"
    r"Settings|Speed|Download|Reset|Choose|Sweep|Basin|Compare|none|Noise|Seed|Play|Previous|Next|Width|Height)\b"
)


def _english_left(text: str) -> list[str]:
    for name in sorted(ALLOWED, key=len, reverse=True):
        text = text.replace(name, " ")
    return sorted(
        {f"{m.group(0)!r} in {line.strip()[:90]!r}" for line in text.splitlines() for m in ENGLISH.finditer(line)}
    )


def _read_all(browser) -> str:
    return browser.execute_script(VISIBLE_TEXT)


def test_a_german_page_under_gunicorn_shows_no_english_interface_text(dash_br, tmp_path):
    """/?lang=de under real gunicorn in headless Chromium: every tab, the open menus, the embed
    dialog, a lesson and the data landscape; what is left in English is listed on failure."""
    from bench.serve import gunicorn

    found = {}
    with gunicorn(workers=1, CACHE_DIR=str(tmp_path)) as (url, _):
        browser = dash_br.driver
        for query, tabs in [
            (
                "?lang=de&surface=rosenbrock&opt=adam,sgd&steps=300",
                ("Einzugsgebiete", "Parameterstudie", "Flächen vergleichen"),
            ),
            ("?lang=de&surface=data&model=linear&opt=sgd&steps=100", ()),
            ("?lang=de&lesson=noise-and-sgd&lstep=1", ()),
        ]:
            browser.get(url + "/" + query)
            dash_br.wait_for_element("#results-table", timeout=WAIT)
            assert until(lambda: "Schritt" in _text(dash_br, "#summary"), WAIT)
            assert browser.execute_script("return document.documentElement.lang") == "de"
            found[query] = _read_all(browser)
            for tab in tabs:
                open_tab(dash_br, tab)
                time.sleep(1.5)
                found[f"{query} {tab}"] = _read_all(browser)
        browser.get(url + "/?lang=de")
        dash_br.wait_for_element("#results-table", timeout=WAIT)
        for toggle in ("#lessons-menu .dropdown-toggle", "#export-menu .dropdown-toggle"):
            dash_br.find_element(toggle).click()
            time.sleep(0.5)
            found[toggle] = _read_all(browser)
            dash_br.find_element(toggle).click()
        dash_br.find_element("#embed-open").click()
        time.sleep(1.0)
        found["embed dialog"] = _read_all(browser)
    left = {where: words for where, text in found.items() if (words := _english_left(text))}
    assert not left, "English interface text in the German page:\n" + "\n".join(
        f"{where}:\n  " + "\n  ".join(words) for where, words in left.items()
    )


def test_number_boxes_take_a_decimal_comma_and_the_link_keeps_the_point(dash_duo):
    """In German a learning rate typed as 0,001 moves its slider to 1e-3 and the link says 0.001; a
    start typed as -1,25 is taken; junk is named in a notice (and the run keeps its default)."""
    open_app(dash_duo, "?opt=adam&steps=200&surface=rosenbrock&lang=de")
    button = dash_duo.find_element("#hyper-accordion .accordion-button")  # Adam's settings, the only ones shown
    dash_duo.driver.execute_script("arguments[0].click();", button)
    thumb = dash_duo.find_element('[id=\'{"rule":"adam","type":"lr-slider"}\'] [role=slider]')
    box = dash_duo.find_element('input[name="adam-lr"]')
    assert box.get_attribute("inputmode") == "decimal"
    assert "," in box.get_attribute("value"), box.get_attribute("value")  # shown the German way
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("0,001", Keys.ENTER)
    assert until(lambda: thumb.get_attribute("aria-valuenow") == "-3"), thumb.get_attribute("aria-valuenow")
    assert until(lambda: "adam.lr=0.001" in dash_duo.driver.current_url), dash_duo.driver.current_url
    thumb.send_keys(Keys.ARROW_RIGHT)  # the slider writes its learning rate into the box, German too
    assert until(lambda: box.get_attribute("value").startswith("0,00102")), box.get_attribute("value")
    assert until(lambda: "adam.lr=0.00102" in dash_duo.driver.current_url), dash_duo.driver.current_url
    start = dash_duo.find_element("#start-x")
    start.send_keys(Keys.CONTROL, "a")
    start.send_keys("-1,25", Keys.ENTER)
    assert until(lambda: "x=-1.25" in dash_duo.driver.current_url), dash_duo.driver.current_url
    box = dash_duo.find_element('input[name="adam-lr"]')
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("viel", Keys.ENTER)
    assert until(
        lambda: "'viel' ist keine Zahl" in dash_duo.find_element("#control-notices").text + _text(dash_duo, "#notices")
    )
    assert severe_logs(dash_duo) == []
