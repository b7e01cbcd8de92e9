"""The interface's languages: complete and current catalogs, the request's language, German numbers."""

from __future__ import annotations

import gettext
import re

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import i18n
from analysis.numbers import fmt, pair
from app.language.switch import with_lang
from app.state.link import query_to_scene, scene_to_query
from app.state.scene import Scene, clamp_scene
from i18n.catalog import extract
from i18n.request import choose

PO = {lang: i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po" for lang in i18n.LANGS[1:]}


def _catalog(lang):
    with PO[lang].open("rb") as f:
        return read_po(f)


def _key(value):
    """A message's id or string (plural forms: a tuple or list of them) as a hashable tuple."""
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def _ids(catalog) -> set:
    return {_key(m.id) for m in catalog if m.id}


@pytest.mark.parametrize("lang", i18n.LANGS[1:])
def test_every_message_has_its_translation(lang):
    missing = [
        m.id
        for m in _catalog(lang)
        if m.id and ("fuzzy" in m.flags or not (m.string if isinstance(m.string, str) else all(m.string)))
    ]
    assert not missing, f"{len(missing)} messages lack a {lang} translation (or are fuzzy): {missing[:10]}"


@pytest.mark.parametrize("lang", i18n.LANGS[1:])
def test_every_translation_passes_babels_checks(lang):
    """Placeholders agree between a message and its translation (what ``pybabel compile`` reports as
    errors, e.g. ``{n}`` missing, or "1 % of" read as a %-placeholder)."""
    problems = [(m.id, [str(e) for e in errors]) for m, errors in _catalog(lang).check()]
    assert not problems, problems[:5]


@pytest.mark.parametrize("lang", i18n.LANGS[1:])
def test_the_catalog_is_current_with_the_code(tmp_path, lang):
    """Babel's extract over the code now gives exactly the catalog's messages (python -m i18n.catalog)."""
    pot = tmp_path / "messages.pot"
    extract(pot)
    with pot.open("rb") as f:
        code = _ids(read_po(f))
    po = _ids(_catalog(lang))
    assert not code - po, f"new in the code, not in the {lang} catalog: {sorted(code - po, key=str)[:10]}"
    assert not po - code, f"in the {lang} catalog, gone from the code: {sorted(po - code, key=str)[:10]}"


@pytest.mark.parametrize("lang", i18n.LANGS[1:])
def test_the_compiled_catalog_matches_its_po_file(lang):
    with (PO[lang].parent / "messages.mo").open("rb") as f:
        mo = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    po = {_key(m.id): _key(m.string) for m in _catalog(lang) if m.id}
    assert mo == po, "run: python -m i18n.catalog (it compiles the .mo files)"


def test_german_is_served_from_the_catalog_and_english_is_the_source():
    with i18n.use("de"):
        assert i18n._("Copy link") == "Link kopieren"
        assert i18n.current() == "de"
    assert i18n.current() == "en"
    assert i18n._("Copy link") == "Copy link"
    assert isinstance(i18n.translations("de"), gettext.GNUTranslations)


def test_the_request_language_comes_from_the_link_then_the_page_then_the_browser():
    def prefers(*langs):
        return lambda offered: next((x for x in langs if x in offered), None)

    assert choose("lang=de", "", prefers("en")) == "de"
    assert choose("", "http://h/?surface=rosenbrock&lang=de", prefers("en")) == "de"
    assert choose("lang=en", "http://h/?lang=de", prefers("de")) == "en"
    assert choose("", "http://h/", prefers("fr", "de")) == "de"
    assert choose("lang=fr", "", prefers("fr")) == "en"
    assert choose("", "", None) == "en"


def test_lang_travels_in_the_link_and_is_clamped_with_a_notice():
    scene, notices = query_to_scene("?lang=de&steps=300")
    assert scene.lang == "de" and not notices
    assert "lang=de" in scene_to_query(scene)
    assert "lang" not in scene_to_query(Scene())
    scene, notices = query_to_scene("?lang=xx")
    assert scene.lang == ""
    assert any(n.startswith("lang: 'xx' is not one of en, de") for n in notices)


def test_the_switch_keeps_the_scene_and_changes_only_lang():
    assert with_lang("?surface=rosenbrock&opt=adam,sgd&lang=en", "de") == "?surface=rosenbrock&opt=adam,sgd&lang=de"
    assert with_lang("", "de") == "?lang=de"
    assert with_lang("?lang=de", "nonsense") == "?lang=en"


def test_german_numbers_have_a_decimal_comma_and_english_ones_stay():
    assert fmt(0.5) == "0.5" and fmt(2.5e6) == "2.5e6" and pair((0.5, 1)) == "(0.5, 1)"
    with i18n.use("de"):
        assert fmt(0.5) == "0,5"
        assert fmt(-1.25e-7) == "-1,25e-7"
        assert fmt(1234.0) == "1234"
        assert pair((0.5, 1)) == "(0,5; 1)"
        assert i18n.number(1234.5) == "1.234,5"


def test_number_boxes_take_a_decimal_comma_or_point():
    assert i18n.parse_number("0,01") == i18n.parse_number("0.01") == 0.01
    with pytest.raises(ValueError):
        i18n.parse_number("1,000.5,2")
    scene, notices = clamp_scene(Scene(roughness="0,5"))
    assert scene.roughness == 0.5 and not notices
    assert "rough=0.5" in scene_to_query(scene)  # links keep the point


def test_the_page_declares_its_language():
    from app.server import app

    client = app.server.test_client()
    html = client.get("/?lang=de").get_data(as_text=True)
    assert re.search(r'<html lang="de">', html)
    html = client.get("/", headers={"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="de">' in html
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_a_clamping_notice_comes_out_in_german_with_lang_de():
    _, notices = query_to_scene("?lang=de&rough=50&steps=abc")
    assert "Rauheit: 50 liegt außerhalb von [0; 10]; verwendet wird 10." in notices
    assert "steps: 'abc' ist keine Zahl; verwendet wird der Standardwert." in notices
    _, notices = query_to_scene("?rough=50")
    assert "roughness: 50 is outside [0, 10]; using 10." in notices
    _, notices = query_to_scene("?lang=de&rough=0.5&gnoise=12.5")
    assert "Gradientenrauschen: 12,5 liegt außerhalb von [0; 10]; verwendet wird 10." in notices


@pytest.mark.parametrize(
    ("text", "english", "german"),
    [
        ("2x + y", "position 1: the formula is not well formed", "Stelle 1: die Formel ist nicht wohlgeformt"),
        ("foo(x)", "'foo' is not an allowed function; use one of:", "'foo' ist keine erlaubte Funktion; verwenden"),
        ("", "the formula is empty; try for example", "die Formel ist leer; versuchen Sie zum Beispiel"),
    ],
)
def test_the_formula_parser_speaks_both_languages(text, english, german):
    from landscapes.formula import FormulaError, parse

    with pytest.raises(FormulaError) as err:
        parse(text)
    assert english in str(err.value)
    with i18n.use("de"), pytest.raises(FormulaError) as err:
        parse(text)
    assert german in str(err.value)


def test_the_summary_sentence_comes_out_in_german():
    from analysis.outcomes import run_scene, surface_of
    from app.runs.summary import summary_text

    scene, _ = query_to_scene("?surface=rosenbrock&opt=adam,sgd&steps=300&sgd.lr=0.01&lang=de")
    surface = surface_of(scene)
    with i18n.use("de"):
        german = summary_text(run_scene(scene, surface), surface)
    english = summary_text(run_scene(scene, surface), surface)
    assert "Schritt" in german and "step" not in german, german
    assert "step" in english and "Schritt" not in english
    assert re.search(r"\d,\d", german)  # a decimal comma
    with i18n.use("de"):
        assert summary_text({}, surface) == "Kein Optimierer ist ausgewählt."


def test_the_embed_snippet_keeps_the_page_language():
    from app.embed.snippet import snippet

    with i18n.use("de"):
        code, src, _ = snippet("http://h/", "?surface=rosenbrock", 100, "%", 720, "light", [], False)
    assert "lang=de" in src and 'title="Gradientenabstieg zum Ausprobieren"' in code
    code, src, _ = snippet("http://h/", "?surface=rosenbrock", 100, "%", 720, "light", [], False)
    assert "lang=" not in src and 'title="Gradient-descent playground"' in code
    code, src, _ = snippet("http://h/", "?surface=rosenbrock&lang=de", 100, "%", 720, "light", [], False)
    assert "lang=de" in src


@pytest.mark.parametrize(
    ("raw", "kind", "english", "german"),
    [
        (b"", "regression", "the file is empty.", "die Datei ist leer."),
        (
            b"x,y\n1,2\n3,abc\n",
            "regression",
            "row 3, column y: 'abc' is not a number.",
            "Zeile 3, Spalte y: 'abc' ist keine Zahl.",
        ),
        (
            b"x,y\n1,2\n",
            "regression",
            "the file has 1 data row; at least 2",
            "die Datei hat 1 Datenzeile; mindestens 2",
        ),
        (b"x1,x2,label\n1,2,0\n3,4,0\n", "classification", "every label is 0;", "jedes Label ist 0;"),
        (
            b"x,y\n1,2,3\n",
            "regression",
            "row 2 has 3 columns; expected 2: x,y.",
            "Zeile 2 hat 3 Spalten; erwartet sind 2: x,y.",
        ),
        (b"x,y\n1,2\n1,5e9\n", "regression", "5e+09 is larger than 1e+06", "5e+09 ist betragsmäßig größer als 1e+06"),
    ],
)
def test_the_csv_upload_speaks_both_languages(raw, kind, english, german):
    from landscapes.data.csvfile import CsvError, read_csv

    with pytest.raises(CsvError) as err:
        read_csv(raw, kind)
    assert english in str(err.value)
    with i18n.use("de"), pytest.raises(CsvError) as err:
        read_csv(raw, kind)
    assert german in str(err.value)


def test_the_upload_message_and_a_too_large_file_in_german():
    import base64

    from app.data.callbacks import _upload_outcome

    good = {"name": "a.csv", "data": base64.b64encode(b"x,y\n1,2\n3,4.5\n").decode()}
    assert _upload_outcome(good, "linear") == ("✓ a.csv: 2 rows read (regression).", True)
    with i18n.use("de"):
        assert _upload_outcome(good, "linear") == ("✓ a.csv: 2 Zeilen gelesen (Regression).", True)
        message, usable = _upload_outcome({"name": "big.csv", "too_large": 400 * 1024}, "linear")
    assert not usable and message == "✗ big.csv: die Datei hat 400 KB; höchstens 150 KB können hochgeladen werden."


def test_the_data_settings_take_a_decimal_comma_and_clamp_in_german():
    from landscapes.data.spec import DataSpec, clamp_spec

    notices: list[str] = []
    spec = clamp_spec(DataSpec(noise="0,25", lam="0.5", n="120"), notices)
    assert (spec.noise, spec.lam, spec.n) == (0.25, 0.5, 120) and not notices
    with i18n.use("de"):
        clamp_spec(DataSpec(noise="viel", outliers=0.9), notices)
    assert "Datenrauschen: 'viel' ist keine Zahl; verwendet wird 0,5." in notices, notices
    assert "Ausreißer: 0,9 liegt außerhalb von [0; 0,5]; verwendet wird 0,5." in notices, notices


def _strings(node):
    """Every text a Dash layout shows or says: children, labels, titles, placeholders, aria-labels,
    options' labels and tooltips (which the browser only draws on hover)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, dict):
        if "props" in node:
            yield from _strings(node["props"])
            return
        for key, value in node.items():
            if key in ("children", "label", "title", "placeholder", "aria-label", "options", "marks", "text"):
                yield from _strings(value)
            elif key == "value" and isinstance(value, str) and " " in value:  # a text box's own words
                yield value
    elif hasattr(node, "to_plotly_json"):
        yield from _strings(node.to_plotly_json())


@pytest.mark.parametrize(
    "query",
    [
        "?surface=rosenbrock&opt=adam,sgd,lbfgs,newton,adamw,schedulefree_adamw&lang=de",
        "?surface=data&model=logistic&opt=sgd&lang=de",
        "?surface=custom&lang=de",
    ],
)
def test_the_german_layout_and_control_panel_have_no_english_words_tooltips_included(query):
    """The page's layout and the control panel (built by a callback) in German, tooltips included:
    the browser test cannot see a tooltip until it is hovered; this reads every one."""
    from app.data.layout import data_box
    from app.layout import layout
    from app.runs.controls import controls_panel
    from tests.test_browser_i18n import _english_left

    scene, notices = query_to_scene(query)
    assert not notices, notices
    with i18n.use("de"):
        text = "\n".join(_strings([layout(), controls_panel(scene), data_box(scene)]))
    left = _english_left(text)
    assert not left, "English in the German layout:\n" + "\n".join(left)


def test_number_boxes_show_their_numbers_the_german_way():
    """A box filled by the server shows 0,05 in German (and keeps the number itself in English)."""
    from app.runs.controls import _hyper_controls

    def lr_box(lang: str):
        with i18n.use(lang):
            rows = _hyper_controls("adam", clamp_scene(Scene(rules=("adam",), hyper={"adam": {"lr": 0.05}}))[0])
        return rows[0].children[2]

    assert lr_box("de").value == "0,05" and lr_box("en").value == 0.05
    with i18n.use("de"):
        assert i18n.box_text(-1.25) == "-1,25" and i18n.box_text(2.5e-07) == "2,5e-07"
        assert i18n.parse_number(i18n.box_text(0.00123)) == 0.00123
