"""The embed dialog's callbacks: glue only (``app.embed.snippet`` builds the code)."""

from __future__ import annotations

from dash import Input, Output, State, callback

from app.embed.snippet import snippet
from i18n import _


@callback(
    output=dict(is_open=Output("embed-modal", "is_open")),
    inputs=dict(clicks=Input("embed-open", "n_clicks")),
    prevent_initial_call=True,
)
def open_embed(clicks):
    return {"is_open": True}


@callback(
    output=dict(
        code=Output("embed-code", "value"),
        preview=Output("embed-preview", "href"),
        notice=Output("embed-notice", "children"),
        modes=Output("embed-mode", "options"),
    ),
    inputs=dict(
        is_open=Input("embed-modal", "is_open"),
        width=Input("embed-width", "value"),
        unit=Input("embed-width-unit", "value"),
        height=Input("embed-height", "value"),
        theme=Input("embed-theme", "value"),
        shown=Input("embed-shown", "value"),
        mode=Input("embed-mode", "value"),
        present=Input("embed-present", "value"),
    ),
    state=dict(query=State("query", "data"), href=State("url", "href")),
    prevent_initial_call=True,
)
def embed_code(is_open, width, unit, height, theme, shown, mode, query, href, present=None):
    """The snippet for the scene on screen, rebuilt as the options change."""
    on = isinstance(present, list) and "on" in present
    code, src, notices = snippet(href, query, width, unit, height, theme, shown, mode == "lesson", present=on)
    in_lesson = isinstance(query, str) and "lesson=" in query
    modes = [
        {"label": _("Free exploration of this scene"), "value": "free"},
        {"label": _("This lesson step (prompt, question, locks)"), "value": "lesson", "disabled": not in_lesson},
    ]
    return {"code": code, "preview": src, "notice": " ".join(notices), "modes": modes}
