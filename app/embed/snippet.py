"""The ``<iframe>`` snippet that embeds the current scene in a course website (no Dash here)."""

from __future__ import annotations

import html
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

import i18n
from app.state.link import query_to_scene, scene_to_query
from app.state.scene import HIDEABLE, PANEL_GROUPS, THEMES
from i18n import N_, _

SIZE_RANGE = (200, 3000)  # pixels
PERCENT_RANGE = (10, 100)
DEFAULT_ORIGIN = "https://gradient-descent.example.org/"


def page_url(href) -> str:
    """The dashboard's own address (scheme, host, path) from the browser's location; a fallback
    when it is not an http(s) address."""
    try:
        parts = urlsplit(href if isinstance(href, str) else "")
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return DEFAULT_ORIGIN
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


def _size(value, unit: str, default: str, notices: list[str], name: str) -> str:
    lo, hi = PERCENT_RANGE if unit == "%" else SIZE_RANGE
    try:
        v = round(i18n.parse_number(value))  # "720" and 720; "99,5" and 99.5
    except (TypeError, ValueError, OverflowError):
        notices.append(_("{name}: not a number; using {default}.").format(name=_(name), default=default))
        return default
    if not lo <= v <= hi:
        v = min(max(v, lo), hi)
        notices.append(
            _("{name}: kept within {lo} to {hi}{unit}; using {value}{unit}.").format(
                name=_(name), lo=lo, hi=hi, unit=unit, value=v
            )
        )
    return f"{v}%" if unit == "%" else str(v)


def snippet(
    href, query, width, width_unit, height, theme, shown, lesson_mode: bool, present: bool = False
) -> tuple[str, str, list[str]]:
    """(iframe HTML, the embedded page's URL, notices) for the scene in ``query``.

    ``shown``: the panel groups and parts to keep (the others are hidden); ``lesson_mode``: embed
    the lesson step the page shows (else the scene alone, free to explore, nothing locked).
    """
    notices: list[str] = []
    scene, _notices = query_to_scene(query if isinstance(query, str) else "")
    shown = [s for s in shown if s in HIDEABLE] if isinstance(shown, list) else []
    hide = tuple(h for h in HIDEABLE if h not in shown)
    panel = any(g in shown for g in PANEL_GROUPS)  # some of the control panel stays beside the charts
    theme = theme if theme in THEMES else "light"
    shown_in = i18n.current() if i18n.current() != i18n.DEFAULT else ""  # the page's language: pinned
    lang = scene.lang or shown_in
    scene = replace(scene, embed=True, panel=panel, hide=hide, theme=theme, step=0, present=present is True, lang=lang)
    if not (lesson_mode and scene.lesson):
        scene = replace(scene, lesson="", lesson_step=0, lock=())
    src = page_url(href) + scene_to_query(scene)
    w = _size(width, "%" if width_unit == "%" else "px", "100%", notices, N_("width"))
    h = _size(height, "px", "720", notices, N_("height"))
    title = _("Gradient-descent playground lesson") if scene.lesson else _("Gradient-descent playground")
    code = (
        f'<iframe src="{html.escape(src, quote=True)}" width="{w}" height="{h}" '
        f'style="border:0; max-width:100%" title="{title}" loading="lazy" allow="clipboard-write"></iframe>'
    )
    return code, src, notices
