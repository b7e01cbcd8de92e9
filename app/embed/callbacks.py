"""The embed dialog's callbacks: glue only (``app.embed.snippet`` builds the code)."""

from __future__ import annotations

from dash import Input, Output, State, callback

from app.embed.snippet import snippet


@callback(Output("embed-modal", "is_open"), Input("embed-open", "n_clicks"), prevent_initial_call=True)
def open_embed(_):
    return True


@callback(
    Output("embed-code", "value"),
    Output("embed-preview", "href"),
    Output("embed-notice", "children"),
    Output("embed-mode", "options"),
    Input("embed-modal", "is_open"),
    Input("embed-width", "value"),
    Input("embed-width-unit", "value"),
    Input("embed-height", "value"),
    Input("embed-theme", "value"),
    Input("embed-shown", "value"),
    Input("embed-mode", "value"),
    State("query", "data"),
    State("url", "href"),
    prevent_initial_call=True,
)
def embed_code(is_open, width, unit, height, theme, shown, mode, query, href):
    """The snippet for the scene on screen, rebuilt as the options change."""
    code, src, notices = snippet(href, query, width, unit, height, theme, shown, mode == "lesson")
    in_lesson = isinstance(query, str) and "lesson=" in query
    options = [
        {"label": "Free exploration of this scene", "value": "free"},
        {"label": "This lesson step (prompt, question, locks)", "value": "lesson", "disabled": not in_lesson},
    ]
    return code, src, " ".join(notices), options
