"""Plotly.js's own interface in German: the modebar's tooltips and d3's number symbols, as a graph
``config`` entry (``locales``/``locale``), so nothing is loaded from elsewhere (the CSP allows only
this site). The plotly Python package ships plotly.min.js with English only and no locale files.
The translations are this project's own (the titles plotly.js 4 shows)."""

from __future__ import annotations

DE = {
    "dictionary": {
        "Autoscale": "Automatisch skalieren",
        "Box Select": "Rechteck auswählen",
        "Compare data on hover": "Daten beim Darüberfahren vergleichen",
        "Double-click on legend to isolate one trace": "Doppelklick auf die Legende zeigt nur diese Kurve",
        "Double-click to zoom back out": "Doppelklick zoomt wieder heraus",
        "Download plot": "Grafik herunterladen",
        "Download plot as a png": "Grafik als PNG herunterladen",
        "Download plot as a PNG": "Grafik als PNG herunterladen",
        "Download plot as JSON": "Grafik als JSON herunterladen",
        "Lasso Select": "Lasso-Auswahl",
        "Orbital rotation": "Um den Mittelpunkt drehen",
        "Pan": "Verschieben",
        "Reset": "Zurücksetzen",
        "Reset axes": "Achsen zurücksetzen",
        "Reset camera to default": "Kamera zurücksetzen",
        "Reset camera to last save": "Kamera auf die letzte Ansicht zurücksetzen",
        "Reset view": "Ansicht zurücksetzen",
        "Reset views": "Ansichten zurücksetzen",
        "Show closest data on hover": "Nächste Daten beim Darüberfahren zeigen",
        "Toggle Spike Lines": "Hilfslinien ein/aus",
        "Toggle show closest data on hover": "Nächste Daten beim Darüberfahren ein/aus",
        "Turntable rotation": "Wie ein Drehteller drehen",
        "Zoom": "Zoomen",
        "Zoom in": "Hineinzoomen",
        "Zoom out": "Herauszoomen",
        "trace": "Kurve",
    },
    "format": {"decimal": ",", "thousands": "."},
}
LOCALES = {"de": DE}


def graph_config(base: dict, lang: str) -> dict:
    """``base`` with plotly.js's locale for ``lang`` (English: ``base`` unchanged)."""
    if lang not in LOCALES:
        return base
    return {**base, "locale": lang, "locales": {lang: LOCALES[lang]}}
