"""Cell-heavy panels (the results table, the inspector) as HTML text inside one ``dcc.Markdown``.

Every Dash component the page receives is a React component of its own, wired to Dash's store: a
table of a hundred cells sent as ``html.Td``s cost the browser 270-600 ms per answer (measured in
headless Chromium while the machine was busy), the same table as one Markdown of raw HTML 20-60 ms.
Every piece of text is escaped here (``html.escape``), so no value can bring its own markup; the
HTML is one block on one line (Markdown passes an HTML block through as it is).
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from app.serving.plain import element


def text(value: Any) -> str:
    """``value`` as escaped HTML text (on one line)."""
    return escape(" ".join(str(value).split("\n")), quote=True)


_UPPER = re.compile(r"([A-Z])")


def _css(style: dict[str, Any]) -> str:
    """A React style dict (camelCase names) as CSS text."""
    return ";".join(_UPPER.sub(r"-\1", k).lower() + f":{v}" for k, v in style.items())


def tag(name: str, inner: str | list[str] = "", **attrs: Any) -> str:
    """``<name attrs>inner</name>``; ``inner`` is HTML already (``text`` escapes plain text); attribute
    values are escaped, ``class_`` is ``class``, a dict ``style`` is written as CSS, None is left out."""
    parts = [name]
    for key, value in attrs.items():
        if value is None:
            continue
        if key == "style" and isinstance(value, dict):
            value = _css(value)
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{text(value)}"')
    body = "".join(inner) if isinstance(inner, list) else inner
    return f"<{' '.join(parts)}>{body}</{name}>"


def markdown_block(html: str, **props: Any) -> dict:
    """The JSON form of ``dcc.Markdown(html, dangerously_allow_html=True)``: one component for the whole
    panel. ``html`` must come from ``tag``/``text`` (escaped)."""
    return element(
        "Markdown", f"<div>{html}</div>", namespace="dash_core_components", dangerously_allow_html=True, **props
    )
