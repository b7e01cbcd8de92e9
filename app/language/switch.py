"""The switch's links: the current link with ``lang`` replaced, every other setting kept (Dash-free)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import i18n


def with_lang(search: str | None, lang: str) -> str:
    """``search`` (a query string, '?' optional) with ``lang=<lang>`` and nothing else changed."""
    try:
        pairs = parse_qsl((search or "").lstrip("?"), keep_blank_values=True, max_num_fields=200)
    except ValueError:
        pairs = []
    pairs = [(k, v) for k, v in pairs if k != "lang"] + [("lang", i18n.clean(lang) or i18n.DEFAULT)]
    return "?" + urlencode(pairs, safe=",:")
