"""The main view's layout: the three charts, the playback bar, the inspector, summary and table."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from app.components import graph
from app.data.layout import data_panel
from i18n import _


def playback_words() -> html.Div:
    """The words assets/playback.js writes, in the page's language (read from its data attributes)."""
    words = {
        "play": _("Play"),
        "pause": _("Pause"),
        "step": _("Step {k}"),
        "scrubber": _("Playback step"),
        "lr-of": _("Learning rate of {rule} (log10 scale)"),  # dataset.lrOf
    }
    return html.Div(id="playback-words", hidden=True, **{f"data-{key}": text for key, text in words.items()})


def playback_bar() -> html.Div:
    """Play/pause, one step, speed and the step scrubber (playback runs in the browser)."""
    return html.Div(
        [
            dbc.ButtonGroup(
                [
                    dbc.Button(
                        "▶ " + _("Play"),
                        id="play",
                        size="sm",
                        color="primary",
                        title=_("Play or pause the run (keyboard: Enter)"),
                    ),
                    dbc.Button(_("Step +1"), id="step-one", size="sm", color="secondary", outline=True),
                ],
                className="me-2",
            ),
            dbc.Select(
                id="speed",
                size="sm",
                value="5",
                style={"width": "8em"},
                className="me-2",
                options=[{"label": _("{n} steps/frame").format(n=v), "value": str(v)} for v in (1, 5, 20, 100)],
            ),
            html.Div(
                dcc.Slider(
                    id="step",
                    min=0,
                    max=2000,
                    step=1,
                    value=0,
                    marks=None,
                    updatemode="drag",
                    tooltip={"placement": "bottom"},
                ),
                style={"flex": 1},
            ),
            html.Span(_("Step {k}").format(k=0), id="step-label", className="small ms-2", **{"aria-live": "polite"}),
            playback_words(),
            dcc.Interval(id="ticker", interval=100, disabled=True),
        ],
        id="group-playback",
        className="d-flex align-items-center mb-2",
    )


def inspector_card() -> dbc.Card:
    """Inside the optimizers at the paused step, and whose arrows the contour map shows."""
    return dbc.Card(
        [
            dbc.CardHeader(
                [html.Span(_("Inside the optimizers at step") + " "), html.Span("0", id="inspect-step")],
                className="py-1 small fw-semibold",
            ),
            dbc.CardBody(
                [
                    html.Div(
                        [
                            html.Span(_("Arrows on the contour map for"), className="small me-2"),
                            dbc.RadioItems(id="inspect-rule", options=[], value=None, inline=True, className="small"),
                        ],
                        className="d-flex flex-wrap align-items-center mb-1",
                    ),
                    html.Div(id="inspector", className="small", **{"aria-live": "polite"}),
                ],
                className="py-2",
            ),
        ],
        id="group-inspector",
        className="mb-2",
    )


def runs_view() -> html.Div:
    """The "Runs" tab: 3-D view and contour map, playback, inspector, loss and schedule charts, summary, table."""
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(graph("graph-3d", "600px", _("3-D loss surface with optimizer paths")), lg=6),
                    dbc.Col(graph("graph-contour", "600px", _("contour map with optimizer paths")), lg=6),
                ],
                className="g-2",
            ),
            playback_bar(),
            inspector_card(),
            graph("graph-loss", "320px", _("loss per step")),
            data_panel(),  # app.data: shown for a data landscape
            html.Div(graph("graph-lr", "170px", _("learning rate per step")), id="group-lr", style={"display": "none"}),
            html.P(id="summary", className="mt-2", **{"aria-live": "polite"}),
            html.Div(id="results", className="table-responsive"),
        ],
        id="views",
        tabIndex="-1",  # the skip link's target takes focus
    )
