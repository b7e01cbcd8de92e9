"""The embed-code dialog (layout only; filled by ``app.embed.callbacks``)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from app.state.scene import HIDEABLE
from i18n import N_, _
from i18n import gettext as translate  # messages marked above (N_)

SHOWN_LABELS = {
    "surface": N_("surface choice"),
    "noise": N_("noise and seed"),
    "start": N_("start point"),
    "steps": N_("steps"),
    "optimizers": N_("optimizers and settings"),
    "playback": N_("playback bar"),
    "inspector": N_("state inspector"),
    "table": N_("results table"),
}


CODE_STYLE = {"width": "100%", "height": "7em", "fontFamily": "monospace", "fontSize": "0.8em"}
LABEL = "small fw-semibold mb-0"


def _width() -> list:
    unit = dbc.Select(
        id="embed-width-unit", options=[{"label": "%", "value": "%"}, {"label": "px", "value": "px"}], value="%"
    )
    box = dbc.Input(id="embed-width", type="number", value=100, min=10, max=3000)
    return [dbc.Label(_("Width"), html_for="embed-width", className=LABEL), dbc.InputGroup([box, unit], size="sm")]


def _height() -> list:
    return [
        dbc.Label(_("Height (px)"), html_for="embed-height", className=LABEL),
        dbc.Input(id="embed-height", type="number", value=720, min=200, max=3000, size="sm"),
    ]


def _theme() -> list:
    options = [{"label": _("Light"), "value": "light"}, {"label": _("Dark"), "value": "dark"}]
    return [
        dbc.Label(_("Theme"), className=LABEL),
        dbc.RadioItems(id="embed-theme", options=options, value="light", inline=True, className="small"),
    ]


def embed_button() -> dbc.Button:
    """The header's button that opens the dialog."""
    return dbc.Button(_("Embed"), id="embed-open", size="sm", color="secondary", className="me-2")


def embed_modal() -> dbc.Modal:
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle(_("Embed this scene in a course page"))),
            dbc.ModalBody(
                [
                    dbc.Row(
                        [dbc.Col(_width(), md=4), dbc.Col(_height(), md=4), dbc.Col(_theme(), md=4)], className="mb-2"
                    ),
                    dbc.Label(_("Shown in the embedded page"), className="small fw-semibold mb-0"),
                    dbc.Checklist(
                        id="embed-shown",
                        options=[{"label": translate(SHOWN_LABELS[h]), "value": h} for h in HIDEABLE],
                        value=["optimizers", "playback"],
                        inline=True,
                        className="small mb-2",
                    ),
                    dbc.RadioItems(
                        id="embed-mode",
                        options=[
                            {"label": _("Free exploration of this scene"), "value": "free"},
                            {"label": _("This lesson step (prompt, question, locks)"), "value": "lesson"},
                        ],
                        value="free",
                        className="small mb-2",
                    ),
                    dbc.Checklist(
                        id="embed-present",
                        options=[
                            {
                                "label": _("Projector mode: charts large, big fonts, thick lines (present=1)"),
                                "value": "on",
                            }
                        ],
                        value=[],
                        switch=True,
                        className="small mb-2",
                    ),
                    html.Div(id="embed-notice", className="small text-warning"),
                    dbc.Label(_("HTML to paste"), html_for="embed-code", className="small fw-semibold mb-0"),
                    html.Div(
                        [
                            dcc.Textarea(
                                id="embed-code",
                                readOnly=True,
                                style={
                                    "width": "100%",
                                    "height": "7em",
                                    "fontFamily": "monospace",
                                    "fontSize": "0.8em",
                                },
                            ),
                            dcc.Clipboard(
                                target_id="embed-code",
                                title=_("Copy the snippet"),
                                id="embed-copy",
                                style={"fontSize": 20, "cursor": "pointer"},
                            ),
                        ],
                        className="d-flex gap-2 align-items-start",
                    ),
                    html.A(
                        _("Open the embedded view in a new tab"),
                        id="embed-preview",
                        href="#",
                        target="_blank",
                        rel="noopener",
                        className="small",
                    ),
                ]
            ),
        ],
        id="embed-modal",
        is_open=False,
        size="lg",
    )
