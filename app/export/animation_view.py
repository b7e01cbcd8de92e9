"""The "Animation to take away" dialog: GIF or MP4 of the scene on screen, rendered on the server
as a job of the shared queue (``animate.video.job``), with its progress and Cancel (``app.explore.job_view``).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from animate import plan
from app.explore import job_view
from i18n import _

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
                _("Format"),
                dbc.RadioItems(
                    id="anim-format",
                    options=[{"label": _("GIF (slides)"), "value": "gif"}, {"label": _("MP4 video"), "value": "mp4"}],
                    value="gif",
                    inline=True,
                ),
                _("GIF plays everywhere; MP4 is smaller and sharper."),
            ),
            _field(
                _("Frames"),
                dbc.Input(id="anim-frames", type="text", inputMode="numeric", value=120),
                _("{lo} to {hi}; from the first step to the last.").format(lo=lo_f, hi=hi_f),
            ),
            _field(
                _("Width (px)"),
                dbc.Input(id="anim-width", type="text", inputMode="numeric", value=800),
                _("{lo} to {hi}; the height is 9/16 of it.").format(lo=lo_w, hi=hi_w),
            ),
            _field(
                _("Frames a second"),
                dbc.Input(id="anim-fps", type="text", inputMode="numeric", value=20),
                _("{lo} to {hi}; at most {most} s in all.").format(lo=lo_s, hi=hi_s, most=f"{plan.MAX_SECONDS:g}"),
            ),
            dbc.Col(
                dbc.Checklist(
                    id="anim-loss",
                    options=[{"label": _("Loss chart beside the contour map"), "value": "loss"}],
                    value=["loss"],
                    switch=True,
                ),
                md=12,
                className="mt-2",
            ),
            dbc.Col(
                dbc.Checklist(
                    id="anim-turn",
                    options=[{"label": _("The 3-D view turning, instead of the contour map"), "value": "turn"}],
                    value=[],
                    switch=True,
                ),
                md=12,
            ),
            dbc.Col(
                dbc.FormText(
                    _("The turning 3-D view draws each frame whole: at most {n} frames.").format(n=plan.MAX_FRAMES_3D)
                ),
                md=12,
            ),
        ],
        className="g-2 mb-3",
    )
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle(_("Animation to take away"))),
            dbc.ModalBody(
                [
                    html.P(
                        _(
                            "The contour map with the paths drawing step by step, a legend and a step counter, "
                            "rendered on the server for the scene on screen."
                        ),
                        className="small",
                    ),
                    form,
                    *job_view.controls(PREFIX, _("animation")),
                    html.Div(id="anim-notice"),
                    dcc.Download(id="anim-download"),
                ]
            ),
        ],
        id="anim-modal",
        is_open=False,
        size="lg",
    )
