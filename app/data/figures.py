"""The data panel, and what a data landscape adds to the main charts (plain figure dicts, no Dash).

* ``data_figure``: the points (classes as Okabe-Ito blue circles and vermillion crosses), step k's
  batch ringed (the one that moves W from step k to k + 1, as named on the batch surface and plotted at
  step k on the loss chart), and each optimizer's fit with its weights at step k: the regression line
  or tanh curve ŷ(x; W_k), or the decision boundary w₁x₁ + w₂x₂ = 0 of the logistic model.
* ``add_overlays``: the minimum without the regulariser on the contour map (so λ's pull shows), each
  batch's loss faintly under the full-data loss, and the epochs' boundaries on the loss chart.
"""

from __future__ import annotations

import math

import numpy as np

import optimizers
from analysis.numbers import fmt
from analysis.outcomes import draws_ensemble
from analysis.statistics import stride_for
from app.plotting import THEME_COLORS, axis, f32, label_margins, layout_common, trace_dict
from app.state.scene import Scene
from i18n import N_, _, number

CLASS_STYLE = ((0.0, "#0072B2", "circle", N_("class 0")), (1.0, "#D55E00", "x", N_("class 1")))
MAX_POINTS = 2000  # points drawn (a larger set is thinned evenly; the batch is always drawn)
MAX_EPOCH_LINES = 40


def _fit_curve(model: str, w, xs: np.ndarray) -> np.ndarray:
    w1, w2 = w
    return w1 * xs + w2 if model == "linear" else w2 * np.tanh(w1 * xs)


def data_figure(surface, outcomes: dict, scene: Scene, k: int) -> dict:
    """The data, step k's batch and every optimizer's fit at step k."""
    p = surface.problem
    X, y = p.X, p.y
    stride = max(1, math.ceil(p.n / MAX_POINTS))
    keep = np.arange(0, p.n, stride)
    first = next(iter(outcomes.values()), None)
    batches = first.result.batches if first is not None else None
    k = min(max(int(k), 0), scene.steps - 1) if scene.steps else 0
    batch = batches.indices(k) if batches is not None and scene.steps else np.array([], dtype=int)
    edge = THEME_COLORS[scene.theme]["marker_edge"]
    data = []
    if p.model == "logistic":
        for label, colour, symbol, name in CLASS_STYLE:
            rows = keep[y[keep] == label]
            data.append(
                trace_dict(
                    "scatter",
                    x=f32(X[rows, 0]),
                    y=f32(X[rows, 1]),
                    mode="markers",
                    name=_(name),
                    marker={"color": colour, "symbol": symbol, "size": 6, "opacity": 0.55},
                )
            )
        bx, by = X[batch, 0], X[batch, 1]
        lo, hi = float(X.min()) - 0.5, float(X.max()) + 0.5
        xtitle, ytitle = "x₁", "x₂"
    else:
        data.append(
            trace_dict(
                "scatter",
                x=f32(X[keep, 0]),
                y=f32(y[keep]),
                mode="markers",
                name=_("data"),
                marker={"color": "#999999", "size": 6, "opacity": 0.6},
            )
        )
        bx, by = X[batch, 0], y[batch]
        lo, hi = float(X[:, 0].min()), float(X[:, 0].max())
        xtitle, ytitle = "x", "y"
    data.append(
        trace_dict(
            "scatter",
            x=f32(bx),
            y=f32(by),
            mode="markers",
            # as the batch surface and the loss chart's step k
            name=_("step {k}'s batch (B = {size})").format(k=k, size=len(batch)),
            marker={"color": "rgba(0,0,0,0)", "size": 11, "line": {"color": edge, "width": 2}},
        )
    )
    xs = np.linspace(lo, hi, 120)
    for rule, o in outcomes.items():
        r = optimizers.RULES[rule]
        w = o.result.path[min(k, o.result.path.shape[0] - 1)]
        if not np.all(np.isfinite(w)):
            continue
        if p.model == "logistic":  # the boundary w·x = 0: the line through 0 orthogonal to W
            norm = math.hypot(*w) or 1.0
            t = np.linspace(-1.5 * max(abs(lo), abs(hi)), 1.5 * max(abs(lo), abs(hi)), 2)
            fx, fy = -w[1] / norm * t, w[0] / norm * t
        else:
            fx, fy = xs, _fit_curve(p.model, w, xs)
        data.append(
            trace_dict(
                "scatter",
                x=f32(fx),
                y=f32(fy),
                mode="lines",
                name=_("{rule} at step {k}").format(rule=r.label, k=k),
                line={"color": r.color, "width": 2.5, "dash": r.dash},
                hovertemplate=f"{r.label}: w₁ = {fmt(w[0])}, w₂ = {fmt(w[1])}<extra></extra>",
            )
        )
    layout = {
        **layout_common(
            scene,
            _("Data and fits at step {k}").format(k=k),
            _("{n} points; ringed: step {k}'s batch (its gradient moves W from step {k} to {k1})").format(
                n=number(p.n, "#,##0"), k=k, k1=k + 1
            ),
        ),
        "xaxis": axis(scene, xtitle, automargin=True),
        "yaxis": axis(scene, ytitle, automargin=True),
        "legend": {"orientation": "h", "y": -0.22, "yanchor": "top"},
    }
    # "−0.5" and its title; the x axis' title and a row of legend under the plot (a 360 px panel)
    layout["margin"] = label_margins(scene, layout, left=50, bottom=86)
    if p.model == "logistic":
        layout["xaxis"]["range"] = [lo, hi]
        layout["yaxis"] |= {"range": [float(X[:, 1].min()) - 0.5, float(X[:, 1].max()) + 0.5], "scaleanchor": "x"}
    return {"data": data, "layout": layout}


def _batch_loss_trace(rule: str, o, scene: Scene) -> dict:
    """``rule``'s minibatch losses, faint under its full-data loss line."""
    s = stride_for(scene.steps, 2000)
    r = optimizers.RULES[rule]
    return trace_dict(
        "scatter",
        x0=0,
        dx=s,
        y=f32(o.result.batch_loss[::s]),
        mode="lines",
        name=_("{rule}: batch loss").format(rule=r.label),
        line={"color": r.color, "width": 1},
        opacity=0.3,
        legendgroup=rule,
        showlegend=False,
        hovertemplate=r.label + "<br>" + _("step") + " %{x}<br>" + _("batch loss") + " %{y:.5g}<extra></extra>",
    )


BATCH_GRID = 60  # the batch surface's grid (B samples a point)


def batch_step(outcomes: dict, scene: Scene) -> int | None:
    """The step whose batch is drawn: the scrubber's, within the run (None without batches)."""
    first = next((o for o in outcomes.values() if o.result.batches is not None), None)
    if first is None or first.result.steps < 1:
        return None
    return min(max(int(scene.step), 0), first.result.steps - 1)


def batch_surface_trace(outcomes: dict, surface, scene: Scene) -> dict | None:
    """The objective over step k's minibatch alone, 1/B Σ_{i∈B_k} ℓᵢ(W) + λR(W), as faint contour lines
    (k = the scrubber's step; the scene's optimizers share one shuffling seed, so one batch); None
    without batches. Its lowest point is where that one batch pulls: the minibatch noise made visible."""
    k = batch_step(outcomes, scene)
    if k is None:
        return None
    batches = next(o for o in outcomes.values() if o.result.batches is not None).result.batches
    rows = np.asarray(batches.indices(k, 0))
    (x0, x1), (y0, y1) = surface.domain
    xs, ys = np.linspace(x0, x1, BATCH_GRID), np.linspace(y0, y1, BATCH_GRID)
    w1, w2 = np.meshgrid(xs, ys)
    z = surface.problem.evaluate(w1, w2, 0, rows=rows)[..., 0]
    return trace_dict(
        "contour",
        x=f32(xs),
        y=f32(ys),
        z=f32(z),
        contours={"coloring": "none", "showlabels": False},
        ncontours=15,
        line={"color": THEME_COLORS[scene.theme]["font"], "width": 1, "dash": "dot"},
        opacity=0.45,
        showscale=False,
        name=_("loss of step {k}'s batch (B = {size})").format(k=k, size=rows.size),
        showlegend=True,
        hoverinfo="skip",
        meta={"role": "batch_surface", "step": k},
    )


def batch_surface_index(outcomes: dict, ensemble: bool | None = None) -> int:
    """Where ``add_overlays`` puts the batch surface on the contour map: the first trace after every
    drawn optimizer's (``app.runs.figures.rule_traces_end``; ``ensemble``: whether the scene draws one,
    for ``outcomes`` that are its single runs)."""
    from app.runs import figures

    return figures.rule_traces_end(outcomes, figures.roles_2d, ensemble)


def patch_batch_surface(contour_patch, outcomes: dict, surface, scene: Scene) -> None:
    """In place: the batch surface at the paused scrubber's step (when the scene draws it)."""
    if getattr(surface, "problem", None) is None or not scene.data.batch_surface:
        return
    trace = batch_surface_trace(outcomes, surface, scene)
    if trace is not None:
        contour_patch["data"][batch_surface_index(outcomes, draws_ensemble(scene, surface))] = trace


def patch_overlays(loss_patch, rule: str, outcomes: dict, surface, scene: Scene, first: int) -> None:
    """In place: after a change of ``rule``'s setting (only its traces are sent, ``app.runs.patches``), its
    batch-loss trace on the loss chart as well; ``first`` is the index of the chart's first overlay (the
    epochs and the other optimizers' batch losses are unchanged: same batches, same steps)."""
    if getattr(surface, "problem", None) is None:
        return
    shown = [r for r, o in outcomes.items() if o.result.batch_loss is not None]
    if rule in shown:
        loss_patch["data"][first + shown.index(rule)] = _batch_loss_trace(rule, outcomes[rule], scene)


def add_overlays(contour: dict, loss: dict, outcomes: dict, surface, scene: Scene) -> None:
    """In place: the unregularised minimum on the contour map, batch losses and epochs on the loss chart."""
    p = getattr(surface, "problem", None)
    if p is None:
        return
    trace = batch_surface_trace(outcomes, surface, scene) if scene.data.batch_surface else None
    if trace is not None:
        contour["data"].append(trace)  # at ``batch_surface_index``: the scrubber's patches replace it
    if p.reg_kind and surface.free_minima:
        free = np.asarray(surface.free_minima)
        contour["data"].append(
            trace_dict(
                "scatter",
                x=free[:, 0].tolist(),
                y=free[:, 1].tolist(),
                mode="markers",
                name=_("minimum without λR(W)"),
                marker={"symbol": "star-open", "size": 15, "color": THEME_COLORS[scene.theme]["marker_edge"]},
                hovertemplate=_("minimum without the regulariser") + " (%{x:.4g}, %{y:.4g})<extra></extra>",
            )
        )
    shown = [rule for rule, o in outcomes.items() if o.result.batch_loss is not None]
    loss["data"] += [_batch_loss_trace(rule, outcomes[rule], scene) for rule in shown]
    first = next(iter(outcomes.values()), None)
    if first is None or first.result.batches is None:
        return
    per = first.result.batches.per_epoch
    epochs = scene.steps // per
    every = max(1, math.ceil(epochs / MAX_EPOCH_LINES))
    colour = THEME_COLORS[scene.theme]["grid"]
    loss["layout"]["shapes"] = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": e * per,
            "x1": e * per,
            "y0": 0,
            "y1": 1,
            "line": {"color": colour, "width": 1, "dash": "dot"},
        }
        for e in range(every, epochs + 1, every)
    ]
    note = (
        _("dotted: every epoch ({per} steps of B = {size})")
        if every == 1
        else _("dotted: every {every}th epoch ({per} steps of B = {size})")
    ).format(every=every, per=per, size=first.result.batches.size)
    subtitle = loss["layout"].setdefault("title", {}).setdefault("subtitle", {})
    subtitle["text"] = "; ".join(t for t in (subtitle.get("text", ""), note) if t)
