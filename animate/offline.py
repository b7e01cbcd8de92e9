"""A standalone offline HTML page of a scene: the contour map and the loss chart with the paths
drawing step by step, Plotly's frames, a play and a pause button and a step slider, with plotly.js
inside the file (``include_plotlyjs=True``): it plays from a USB stick or a course platform, with
no server and no network.

Size: plotly.js is 4.8 MB of the file; the rest is kept small. Each optimizer's path is cut into
one piece per frame (a trace each, empty at first); frame j fills piece j and moves the markers
(on the map and on the loss chart, whose lines are drawn whole), so every point is sent once.
Frame 0 empties every piece, so Play starts over, and the slider's step j plays frames 0..j at
once (a jump back is exact). Because a step names a list of frames, plotly.js cannot bind the
slider to playback by itself; ``FOLLOW``, a few lines of script, moves the slider's active step to
each frame Play shows (and stays out of the way while a jump the slider asked for plays through).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import plotly.io as pio

import optimizers
from analysis.numbers import HOVER, fmt
from analysis.outcomes import run_scene, surface_of, with_exact_loss
from analysis.statistics import loss_floor, shown_z_range, stride_for
from animate.plan import HTML_FRAMES, frame_steps
from app.plotting import f32, i32
from app.state.link import scene_to_query
from app.state.scene import Scene
from i18n import _, number

GRID = 60  # contour map resolution
POINTS = 300  # points per optimizer path (and loss line), every k-th step beyond
FRAME_MS = 100
# The slider follows playback: each frame Play shows becomes the slider's active step; the frames of
# a jump (plotly_sliderchange by the user: frames 0..j) are let through until its last one.
FOLLOW = """(function () {
var gd = document.getElementById('{plot_id}'), jump = null;
gd.on('plotly_sliderchange', function (e) { if (e.interaction) jump = String(e.slider.active); });
gd.on('plotly_animatingframe', function (e) {
  if (jump !== null) { if (e.name === jump) jump = null; return; }
  var j = Number(e.name);
  if (gd.layout.sliders[0].active !== j) Plotly.relayout(gd, {'sliders[0].active': j});
});
})();"""


def _pieces(n: int, steps_at: np.ndarray, stride: int) -> list[np.ndarray]:
    """Indices of a run's drawn points (every ``stride``-th and each frame's step) per frame: piece j
    runs from frame j-1's step to frame j's (overlapping by one point, so the line is unbroken)."""
    out = []
    prev = 0
    for k in steps_at:
        k = min(int(k), n - 1)
        idx = np.unique(np.r_[np.arange(prev - prev % stride, k + 1, stride), prev, k])
        out.append(idx[(idx >= prev) & (idx <= k)])
        prev = k
    return out


def figure(scene: Scene, frames: int = HTML_FRAMES) -> dict:
    """The page's figure: contour map (left) and loss chart (right), pieces and frames (module docstring)."""
    surface = surface_of(scene)
    outcomes = with_exact_loss(run_scene(replace(scene, ensemble=0), surface), surface)  # data: every step's
    steps_at = frame_steps(scene.steps, frames)
    xs, ys, z = surface.grid(GRID)
    lo, hi, _mid = shown_z_range(z)
    floor = loss_floor(outcomes, surface)
    m = surface.minima_array()
    sx, sy = scene.start_point()
    data: list[dict] = [
        {"type": "contour", "x": f32(xs), "y": f32(ys), "z": f32(np.clip(z, lo, hi)), "colorscale": "Viridis",
         "ncontours": 30, "showscale": False, "line": {"width": 0.5}, "name": surface.label,
         "hovertemplate": f"x %{{x:{HOVER}}}, y %{{y:{HOVER}}}<br>loss %{{z:{HOVER}}}<extra></extra>",
        },
        {"type": "scatter", "x": m[:, 0].tolist(), "y": m[:, 1].tolist(), "mode": "markers", "name": "known minima",
         "hoverinfo": "x+y+name",
         "marker": {"symbol": "star", "size": 11, "color": "white", "line": {"color": "black", "width": 1}}},
        {"type": "scatter", "x": [sx], "y": [sy], "mode": "markers", "name": "start",
         "marker": {"symbol": "circle-open", "size": 14, "color": "white", "line": {"width": 3}}},
    ]  # fmt: skip
    frame_data: list[list[tuple[int, dict]]] = [[] for _ in steps_at]
    reset: list[tuple[int, dict]] = []
    for rule, o in outcomes.items():
        r = optimizers.RULES[rule]
        stride = stride_for(o.points, POINTS)
        pieces = _pieces(o.points, steps_at, stride)
        line = {"color": r.color, "width": 2.5, "dash": r.dash}
        loss = o.result.loss
        shown_loss = np.maximum(loss - floor, 1e-16) if scene.log_loss else loss
        thin = np.unique(np.r_[np.arange(0, o.points, stride), o.points - 1])
        data.append(
            {"type": "scatter", "x": i32(thin), "y": f32(shown_loss[thin]), "mode": "lines", "name": r.label,
             "legendgroup": rule, "showlegend": False, "line": line, "xaxis": "x2", "yaxis": "y2", "hoverinfo": "all",
             "hovertemplate": f"{r.label}<br>{_('step')} %{{x}}<br>{_('loss')} %{{y:{HOVER}}}<extra></extra>"}
        )  # fmt: skip
        head = len(data)
        marker = {"color": r.color, "size": 11, "line": {"color": "white", "width": 1.5}}
        data.append(
            {"type": "scatter", "x": [sx], "y": [sy], "mode": "markers", "showlegend": False, "legendgroup": rule,
             "marker": marker, "hoverinfo": "skip"}
        )  # fmt: skip
        data.append(
            {"type": "scatter", "x": [0], "y": [float(shown_loss[0])], "mode": "markers", "showlegend": False,
             "legendgroup": rule, "marker": marker, "hoverinfo": "skip", "xaxis": "x2", "yaxis": "y2"}
        )  # fmt: skip
        for j, idx in enumerate(pieces):
            first = {"name": r.label, "showlegend": True} if j == 0 else {"showlegend": False}
            frame_data[j].append((len(data), {"x": f32(o.result.path[idx, 0]), "y": f32(o.result.path[idx, 1])}))
            reset.append((len(data), {"x": [], "y": []}))
            piece_line = {"color": r.color} if r.dash == "solid" else {"color": r.color, "dash": r.dash}
            data.append({"mode": "lines", "legendgroup": rule, "line": piece_line, **first})  # template: the rest
            end = idx[-1]
            frame_data[j].append((head, {"x": [_short(o.result.path[end, 0])], "y": [_short(o.result.path[end, 1])]}))
            frame_data[j].append((head + 1, {"x": [int(end)], "y": [_short(shown_loss[end])]}))
    frames_out = []
    for j, k in enumerate(steps_at):
        items = (reset if j == 0 else []) + frame_data[j]
        frames_out.append(
            {
                "name": str(j),
                "data": [d for _, d in items],
                "traces": [i for i, _ in items],
                "layout": {"title": {"text": _title(surface.label, int(k), scene.steps)}},
            }
        )
    fast = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}
    (x0, x1), (y0, y1) = surface.domain
    layout = {
        "title": {"text": _title(surface.label, 0, scene.steps)},
        "grid": {"rows": 1, "columns": 2, "pattern": "independent"},
        "xaxis": {"title": {"text": "x (w₁)"}, "range": [x0, x1], "domain": [0, 0.48], "constrain": "domain"},
        "yaxis": {"title": {"text": "y (w₂)"}, "range": [y0, y1], "scaleanchor": "x"},
        "xaxis2": {"title": {"text": _("step")}, "range": [0, scene.steps], "domain": [0.56, 1]},
        "yaxis2": {
            "title": {"text": _("loss − L* (L* = {floor})").format(floor=fmt(floor)) if scene.log_loss else _("loss")},
            "type": "log" if scene.log_loss else "linear",
        },
        "legend": {"orientation": "h", "y": -0.18},
        "template": {"data": {"scatter": [{"type": "scatter", "hoverinfo": "skip", "line": {"width": 2.5}}]}},
        "margin": {"l": 60, "r": 20, "t": 60, "b": 140},
        "updatemenus": [
            {
                "type": "buttons", "direction": "left", "x": 0, "y": -0.32, "xanchor": "left", "showactive": False,
                "buttons": [
                    {"label": "▶ " + _("Play"), "method": "animate",
                     "args": [None, {**fast, "frame": {"duration": FRAME_MS, "redraw": True}, "fromcurrent": False}]},
                    {"label": "❚❚ " + _("Pause"), "method": "animate",
                     "args": [[None], {**fast, "frame": {"duration": 0, "redraw": False}}]},
                ],
            }
        ],
        "sliders": [
            {
                "active": 0, "x": 0.2, "y": -0.28, "len": 0.8, "currentvalue": {"prefix": _("step") + " "},
                "steps": [
                    {"label": number(int(k), "#,##0"), "method": "animate",
                     "args": [[str(i) for i in range(j + 1)], fast]}
                    for j, k in enumerate(steps_at)
                ],
            }
        ],
    }  # fmt: skip
    return {"data": data, "layout": layout, "frames": frames_out}


def _short(v) -> float | None:
    """A marker's coordinate to 6 significant digits (enough for a pixel; JSON's full repr is 18)."""
    v = float(v)
    return float(f"{v:.6g}") if np.isfinite(v) else None


def _title(label: str, k: int, steps: int) -> str:
    return f"{label}: " + _("step {k} of {n}").format(k=number(k, "#,##0"), n=number(steps, "#,##0"))


def page(scene: Scene, frames: int = HTML_FRAMES) -> str:
    """The whole HTML file (plotly.js inside it)."""
    fig = figure(scene, frames)
    html = pio.to_html(
        fig, include_plotlyjs=True, full_html=True, validate=False, auto_play=False, div_id="scene",
        config={"displaylogo": False, "responsive": True}, post_script=FOLLOW,
    )  # fmt: skip
    note = f"<!-- gradient-descent playground, scene {scene_to_query(scene)} -->\n"
    head = f'<head><meta charset="utf-8"><title>{_("Gradient-descent playground")}</title>'
    return note + html.replace("<head>", head, 1)
