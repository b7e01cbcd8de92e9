"""The "Animation to take away" dialog: GIF or MP4 of the scene on screen, rendered on the server
as a job of the shared queue (``animate.video.job``), with its progress and Cancel (``app.explore.job_view``).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from animate import plan
from app.explore import job_view

PREFIX = "anim"


def _field(label: str, control, help_text: str) -> dbc.Col:
    return dbc.Col([dbc.Label(label, className="small fw-semibold mb-0"), control, dbc.FormText(help_text)], md=6)


def animation_modal() -> dbc.Modal:
    """Format, frames, width, speed, the loss chart beside; Render, the progress bar, Cancel. The number
    boxes have no min/max: the server clamps and says what it changed (a browser would send nothing)."""
    lo_f, hi_f = plan.FRAMES_RANGE
    lo_w, hi_w = plan.WIDTH_RANGE
    lo_s, hi_s = plan.FPS_RANGE
    form = dbc.Row(
        [
            _field(
                "Format",
                dbc.RadioItems(
                    id="anim-format",
                    options=[{"label": "GIF (slides)", "value": "gif"}, {"label": "MP4 video", "value": "mp4"}],
                    value="gif",
                    inline=True,
                ),
                "GIF plays everywhere; MP4 is smaller and sharper.",
            ),
            _field(
                "Frames",
                dbc.Input(id="anim-frames", type="number", step=1, value=120),
                f"{lo_f} to {hi_f}; from the first step to the last.",
            ),
            _field(
                "Width (px)",
                dbc.Input(id="anim-width", type="number", step=2, value=800),
                f"{lo_w} to {hi_w}; the height is 9/16 of it.",
            ),
            _field(
                "Frames a second",
                dbc.Input(id="anim-fps", type="number", step=1, value=20),
                f"{lo_s} to {hi_s}; at most {plan.MAX_SECONDS:g} s in all.",
            ),
            dbc.Col(
                dbc.Checklist(
                    id="anim-loss",
                    options=[{"label": "Loss chart beside the contour map", "value": "loss"}],
                    value=["loss"],
                    switch=True,
                ),
                md=12,
                className="mt-2",
            ),
            dbc.Col(
                dbc.Checklist(
                    id="anim-turn",
                    options=[{"label": "The 3-D view turning, instead of the contour map", "value": "turn"}],
                    value=[],
                    switch=True,
                ),
                md=12,
            ),
            dbc.Col(
                dbc.FormText(f"The turning 3-D view draws each frame whole: at most {plan.MAX_FRAMES_3D} frames."),
                md=12,
            ),
        ],
        className="g-2 mb-3",
    )
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("Animation to take away")),
            dbc.ModalBody(
                [
                    html.P(
                        "The contour map with the paths drawing step by step, a legend and a step counter, "
                        "rendered on the server for the scene on screen.",
                        className="small",
                    ),
                    form,
                    *job_view.controls(PREFIX, "animation"),
                    html.Div(id="anim-notice"),
                    dcc.Download(id="anim-download"),
                ]
            ),
        ],
        id="anim-modal",
        is_open=False,
        size="lg",
    )
