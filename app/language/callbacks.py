"""The switch's links follow the link: each keeps the scene and changes only ``lang``."""

from __future__ import annotations

from dash import Input, Output, callback

import i18n
from app.language.switch import with_lang


@callback(
    output={lang: Output(f"lang-{lang}", "href") for lang in i18n.LANGS},
    inputs={"search": Input("url", "search")},
)
def switch_links(search):
    return {lang: with_lang(search, lang) for lang in i18n.LANGS}
