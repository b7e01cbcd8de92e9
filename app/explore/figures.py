"""Pure figure builders for the explore views: basin map, sweep heatmap, small multiples."""

from __future__ import annotations

import numpy as np

import optimizers
from analysis.numbers import fmt, pair
from app.plotting import axis, f32, label_margins, layout_common, trace_dict, typed_array
from app.runs.figures import contour_figure
from app.state.scene import Scene
from explore import DIVERGED, LEFT_VIEW, NOT_ARRIVED, BasinMap
from i18n import N_, _

# Okabe-Ito, without black (kept for "diverged"); basins beyond seven reuse the colours.
BASIN_COLORS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
OTHER = {
    NOT_ARRIVED: (N_("not arrived"), "#DDDDDD"),
    LEFT_VIEW: (N_("left the view"), "#999999"),
    DIVERGED: (N_("diverged"), "#000000"),
}
METRICS = {
    "steps": N_("steps to arrive"),
    "loss": N_("final loss"),
    "outcome": N_("where it ends"),
}
METRIC_HELP = {
    "steps": N_(
        "steps to arrive: the first step from which the run stays within a hundredth of the view's larger side "
        "of a known minimum (coarser than the results table's “converged”, within 1e-3)"
    ),
    "loss": N_("the loss at the last step"),
    "outcome": N_("the known minimum the run arrives at, or diverged, left the view, not arrived"),
}


def _neighbour_pairs(label: np.ndarray):
    """(a, b) views of the grid against itself shifted by every offset up to two cells."""
    h, w = label.shape
    for dy in range(0, 3):
        for dx in range(-2, 3):
            if (dy, dx) <= (0, 0):
                continue  # each unordered offset once
            yield label[: h - dy, max(0, -dx) : w - max(0, dx)], label[dy:, max(0, dx) : w - max(0, -dx)]


def basin_colors(label: np.ndarray, k: int) -> dict[int, str]:
    """A colour per minimum such that neighbouring basins differ: basins within two cells of each
    other, so those meeting only at a corner or across a thin seam of starts that did not arrive count too
    (greedy colouring of that graph, most-connected first; seven colours suffice in practice)."""
    neighbours: dict[int, set[int]] = {j: set() for j in range(k)}
    if label.ndim == 2:
        for a, b in _neighbour_pairs(label):
            touch = (a != b) & (a >= 0) & (b >= 0)
            for p, q in set(zip(a[touch].tolist(), b[touch].tolist(), strict=True)):
                neighbours[p].add(q)
                neighbours[q].add(p)
    colors: dict[int, int] = {}
    for j in sorted(range(k), key=lambda j: -len(neighbours[j])):
        used = {colors[n] for n in neighbours[j] if n in colors}
        colors[j] = next((c for c in range(len(BASIN_COLORS)) if c not in used), j % len(BASIN_COLORS))
    return {j: BASIN_COLORS[c] for j, c in colors.items()}


def _categories(minima: np.ndarray, label: np.ndarray | None = None) -> list[tuple[int, str, str]]:
    """(label, name, colour) for each possible ending: minima first, then the others."""
    colors = basin_colors(np.empty((0, 0)) if label is None else label, len(minima))
    cats = [(j, _("minimum {j} {at}").format(j=j + 1, at=pair((x, y))), colors[j]) for j, (x, y) in enumerate(minima)]
    return cats + [(code, _(name), color) for code, (name, color) in OTHER.items()]


def _discrete_scale(colors: list[str]) -> list:
    """A colour scale with one flat band per category (z = 0 .. n-1)."""
    n = len(colors)
    scale = []
    for i, c in enumerate(colors):
        scale += [[i / n, c], [(i + 1) / n, c]]
    return scale


TEXT_CELLS = 10_000  # up to this many cells the hover names the ending; beyond, the colour key does


def _category_heatmap(x, y, label: np.ndarray, steps_to: np.ndarray, minima: np.ndarray, what: str) -> list[dict]:
    """One heatmap of endings (typed arrays: a 200x200 map is ~0.3 MB, not ~1.8 MB of JSON)."""
    present = set(np.unique(label).tolist())
    cats = [c for c in _categories(minima, label) if c[0] in present] or _categories(minima)[-1:]
    index = {code: i for i, (code, _, _) in enumerate(cats)}
    z = np.zeros(label.shape, dtype=np.int8)  # at most 12 minima + 3 other endings
    for code, i in index.items():
        z[label == code] = i
    names = [name for _, name, _ in cats]
    trace = {
        "x": f32(np.asarray(x, dtype=float)),
        "y": f32(np.asarray(y, dtype=float)),
        "z": typed_array(np.ascontiguousarray(z)),
        "customdata": typed_array(np.ascontiguousarray(steps_to, dtype=np.int16)),  # steps <= 2,000
        "zmin": -0.5,
        "zmax": len(cats) - 0.5,
        "colorscale": _discrete_scale([c for _, _, c in cats]),
        "colorbar": {"tickvals": list(range(len(cats))), "ticktext": names, "title": {"text": _("ends")}, "len": 0.9},
        "name": _("where runs end"),
    }
    if label.size <= TEXT_CELLS:
        text = np.empty(label.shape, dtype=object)
        for code, name, _color in cats:
            text[label == code] = f"→ {name}" + (" " + _("after") if code >= 0 else "")
        trace["text"] = text.tolist()
        trace["hovertemplate"] = (
            what + "<br>%{text} %{customdata} " + _("steps") + "<br>" + _("click to open this run") + "<extra></extra>"
        )
    else:
        trace["hovertemplate"] = (
            what
            + "<br>"
            + _("the colour key names its ending; %{customdata} steps to arrive (−1: never)")
            + "<br>"
            + _("click to open this run")
            + "<extra></extra>"
        )
    return [trace_dict("heatmap", **trace)]


def basin_figure(bmap: BasinMap, scene: Scene) -> dict:
    """Each start of the grid coloured by where its run ends; stars mark the known minima."""
    data = _category_heatmap(bmap.xs, bmap.ys, bmap.label, bmap.steps_to, bmap.minima, "start (%{x:.4~g}, %{y:.4~g})")
    if bmap.minima.size:
        data.append(
            trace_dict(
                "scatter",
                x=bmap.minima[:, 0].tolist(),
                y=bmap.minima[:, 1].tolist(),
                mode="markers",
                marker={"symbol": "star", "size": 12, "color": "white", "line": {"color": "black", "width": 1}},
                hovertemplate=_("known minimum") + " (%{x:.4~g}, %{y:.4~g})<extra></extra>",
                showlegend=False,
                name=_("known minima"),
            )
        )
    label = optimizers.RULES[bmap.rule].label
    n = bmap.label.shape[0]
    layout = {
        **layout_common(
            scene,
            _("Basins of attraction: {rule}, {steps} steps").format(rule=label, steps=bmap.steps),
            _("{n}×{n} starts · a run has arrived within {tol} of a minimum · click a cell to open it").format(
                n=n, tol=fmt(bmap.tol)
            ),
        ),
        "xaxis": axis(scene, _("start x"), constrain="domain", automargin=True),
        "yaxis": axis(scene, _("start y"), scaleanchor="x", automargin=True),
        "uirevision": f"basins-{scene.surface}",
        "meta": {"rule": bmap.rule},
    }
    right = colorbar_room(data[0]["colorbar"])
    layout["margin"] = label_margins(scene, layout, left=64, bottom=50, right=right)
    return {"data": data, "layout": layout}


def colorbar_room(colorbar: dict) -> int:
    """px right of the plot for a colour key: its bar and pads (~48 px) and its longest label or title
    at ~7.7 px a character (Plotly's 12 px type; measured: "minimum 2 (−2.805, 3.131)" needs 228 px)."""
    texts = [str(t) for t in colorbar.get("ticktext", [])] + [colorbar.get("title", {}).get("text", "")]
    return round(48 + 7.7 * max(6, *(len(t) for t in texts)))


def basin_shares(bmap: BasinMap) -> list[tuple[str, float]]:
    """(ending, share of starts) for every ending that occurs, largest first."""
    total = bmap.label.size
    shares = [(name, float(np.count_nonzero(bmap.label == code)) / total) for code, name, _ in _categories(bmap.minima)]
    return sorted([s for s in shares if s[1] > 0], key=lambda s: -s[1])


def sweep_figure(data: dict, metric: str, scene: Scene) -> dict:
    """The sweep (``explore.Sweep`` as plain lists, see ``sweep_data``) coloured by ``metric``."""
    lr, values = data["lr"], data["values"]
    label = np.asarray(data["label"])
    steps_to = np.asarray(data["steps_to"])
    second = data["second"]
    what = f"lr %{{x:.4~g}}, {second} %{{y:.4~g}}"
    if metric == "outcome":
        traces = _category_heatmap(lr, values, label, steps_to, np.asarray(data["minima"]).reshape(-1, 2), what)
    else:
        z = steps_to.astype(float) if metric == "steps" else np.asarray(data["final_loss"], dtype=float)
        good = (steps_to >= 0) if metric == "steps" else (label != DIVERGED)
        z = np.where(good, z, np.nan)
        title = _(METRICS[metric])
        traces = [
            trace_dict(
                "heatmap",
                x=lr,
                y=values,
                z=[[None if not np.isfinite(v) else float(v) for v in row] for row in z],
                colorscale="Viridis",
                reversescale=metric == "steps",
                colorbar={"title": {"text": title}, "len": 0.9},
                hovertemplate=what + f"<br>{title}: %{{z:.4~g}}<br>" + _("click to open this run") + "<extra></extra>",
                name=title,
            ),
            _mask_trace(lr, values, label == DIVERGED, "#000000", _("diverged"), what),
        ]
        if metric == "steps":
            traces.append(
                _mask_trace(lr, values, (label != DIVERGED) & (steps_to < 0), "#BBBBBB", _("not arrived"), what)
            )
    rule = optimizers.RULES[data["rule"]].label
    layout = {
        **layout_common(
            scene,
            _("Sweep: {rule}, learning rate{second}, {steps} steps").format(
                rule=rule, second=f" × {second}" if second else "", steps=data["steps"]
            ),
            _(
                "arrived: stays within {tol} (a hundredth of the view) of a minimum · black: diverged"
                " · grey: not arrived · click a cell to open that run"
            ).format(tol=fmt(data.get("tol", 0))),
        ),
        "xaxis": axis(scene, _("learning rate (log scale)"), type="log", automargin=True),
        "yaxis": axis(scene, second or "", automargin=True, visible=second is not None),
        "uirevision": "sweep",
    }
    right = colorbar_room(traces[0]["colorbar"])
    layout["margin"] = label_margins(scene, layout, left=64, bottom=50, right=right)
    return {"data": traces, "layout": layout}


def _mask_trace(x, y, mask: np.ndarray, color: str, name: str, what: str) -> dict:
    return trace_dict(
        "heatmap",
        x=x,
        y=y,
        z=[[1 if m else None for m in row] for row in mask],
        colorscale=[[0, color], [1, color]],
        showscale=False,
        hovertemplate=what + f"<br>{name}<extra></extra>",
        name=name,
    )


def compare_figures(panels: list[tuple]) -> list[dict]:
    """Small multiples: one compact contour map per (surface, outcomes, scene of that surface)."""
    figures = []
    for surface, outcomes, sub in panels:
        fig = contour_figure(surface, outcomes, sub)
        fig["layout"]["title"]["text"] = surface.label
        fig["layout"]["title"]["subtitle"] = {"text": ""}
        fig["layout"]["margin"] = {"l": 10, "r": 10, "t": 40, "b": 10}
        fig["layout"]["uirevision"] = f"compare-{surface.name}"
        figures.append(fig)
    return figures


def sweep_data(sw, minima: np.ndarray) -> dict:
    """An ``explore.Sweep`` as plain lists (it lives in a browser store; the metric is chosen later)."""
    return {
        "rule": sw.rule,
        "second": sw.second,
        "steps": sw.steps,
        "lr": sw.lr.tolist(),
        "values": sw.values.tolist() if sw.second else [0.0],  # one row; its axis is hidden
        "label": sw.label.tolist(),
        "steps_to": sw.steps_to.tolist(),
        "final_loss": [[float(v) if np.isfinite(v) else None for v in row] for row in sw.final_loss],
        "minima": np.asarray(minima).tolist(),
        "tol": float(sw.tol),
    }
