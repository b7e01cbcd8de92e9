"""Figure helpers shared by the features: typed arrays, traces as plain dicts, themed axes and layouts.

Figures are plain dicts (building ``plotly.graph_objects`` would cost ~100 ms a scene); numbers go
to the browser as float32 typed arrays, and what it could not draw becomes a gap.
"""

from __future__ import annotations

import base64
import math
from typing import TYPE_CHECKING

import numpy as np

from analysis.statistics import DRAWABLE, stride_for
from i18n import _

if TYPE_CHECKING:
    from app.state.scene import Scene

FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"}


def typed_array(a: np.ndarray) -> dict:
    """Plotly's typed-array spec ({dtype, bdata, shape}), as ``_plotly_utils.utils.to_typed_array_spec``
    writes it (a test compares the two); built directly, because that function's dataframe detection
    costs ~7 µs a call, about 7 ms a recompute."""
    kinds = {np.float32: "f4", np.int32: "i4", np.int16: "i2", np.int8: "i1"}
    spec = {"dtype": kinds[a.dtype.type], "bdata": base64.b64encode(a.tobytes()).decode()}
    if a.ndim > 1:
        spec["shape"] = ", ".join(str(n) for n in a.shape)
    return spec


def f32(a) -> dict:
    """A float32 typed array, as plotly.js reads it (about 5 bytes a number instead of ~18 of JSON).

    Values beyond ``DRAWABLE`` (a diverging run's last loss) become NaN: a gap, not an infinite axis.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.array(a, dtype=np.float32)  # a copy: the caller's array stays as it was
        out[~(np.abs(out) <= DRAWABLE)] = np.nan
    return typed_array(np.ascontiguousarray(out))


def num(value) -> float | None:
    """One number for a marker or a range: None (a gap) when the browser could not draw it."""
    v = float(value)
    return v if math.isfinite(v) and abs(v) <= DRAWABLE else None


def i32(a) -> dict:
    """An int32 typed array."""
    return typed_array(np.ascontiguousarray(a, dtype=np.int32))


def trace_dict(kind: str, **attrs) -> dict:
    """A trace as a plain dict (building ``plotly.graph_objects`` would cost ~100 ms a scene)."""
    return {"type": kind, **attrs}


THEME_COLORS = {
    "light": {"font": "#1f2328", "grid": "#d0d7de", "bg": "#ffffff", "marker_edge": "black"},
    "dark": {"font": "#e6edf3", "grid": "#3d444d", "bg": "#0d1117", "marker_edge": "white"},
}


def axis(scene: Scene, title: str, **extra) -> dict:
    """An axis in the scene's theme."""
    c = THEME_COLORS[scene.theme]
    return {"title": {"text": title}, "gridcolor": c["grid"], "zerolinecolor": c["grid"], "color": c["font"], **extra}


def layout_common(scene: Scene, title: str, note: str = "") -> dict:
    """Theme, margins and a short title (left, clear of the mode bar) with an optional note under it."""
    c = THEME_COLORS[scene.theme]
    big = getattr(scene, "present", False)  # projector mode (app/present): big type
    return {
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": c["bg"],
        "font": {**FONT, "color": c["font"], **({"size": 20} if big else {})},
        "margin": {"l": 10, "r": 10, "t": 64 if note else 44, "b": 10},
        "title": {
            "text": title,
            "x": 0.02,
            "y": 0.98,
            "yanchor": "top",
            "font": {"size": 28 if big else 15},
            "subtitle": {"text": note, "font": {"size": 18 if big else 12}},
        },
        "uirevision": scene.surface,
        "hoverlabel": {"font": FONT},
    }


def label_margins(scene: Scene, layout: dict, *, left: int, bottom: int, right: int = 10) -> dict:
    """``layout``'s margins widened to hold the usual tick labels and titles of its axes (in px at
    Plotly's 12 px type; projector mode's 20 px type in proportion). The axes keep ``automargin``
    as a safety net for unusual labels, but each time it has to widen a margin Plotly draws the whole
    chart again: 2-4 full draws of the contour map per new surface (``bench.browser``), one when the
    labels fit from the start."""
    scale = 20 / 12 if getattr(scene, "present", False) else 1
    wider = {"l": left, "b": bottom, "r": right}
    return {**layout["margin"], **{k: round(v * scale) for k, v in wider.items()}}


def thinned(steps: int, limit: int) -> str:
    """A note when lines are drawn through every k-th step only (the engine keeps all)."""
    k = stride_for(steps + 1, limit)
    return _("lines drawn through 1 step in {k}").format(k=k) if k > 1 else ""
