"""The switch's links follow the scene: each keeps it and changes only ``lang`` (in the browser,
``assets/language.js``: no request of its own; ``switch.with_lang`` writes the same links for the page)."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, clientside_callback

import i18n

clientside_callback(
    ClientsideFunction("language", "links"),
    [Output(f"lang-{lang}", "href") for lang in i18n.LANGS],
    Input("query", "data"),
)
