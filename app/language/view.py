"""EN | DE in the header: plain links (the page reloads in the other language, the scene kept)."""

from __future__ import annotations

from dash import html

import i18n
from i18n import _


def language_switch() -> html.Nav:
    current = i18n.current()
    links = []
    for n, lang in enumerate(i18n.LANGS):
        if n:
            links.append(html.Span(" | ", **{"aria-hidden": "true"}))
        links.append(
            html.A(
                lang.upper(),
                id=f"lang-{lang}",
                href=f"?lang={lang}",
                lang=lang,
                title=i18n.NAMES[lang],
                className="fw-bold text-decoration-none" if lang == current else "text-decoration-none",
                **({"aria-current": "true"} if lang == current else {}),
            )
        )
    return html.Nav(links, id="lang-switch", className="me-3 small", **{"aria-label": _("Language")})
