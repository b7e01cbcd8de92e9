"""Pure figure builders: (surface, outcomes, scene) -> Plotly figures. No Dash, no engine calls.

Trace layout is fixed so that a change of one optimizer's settings can be sent as a small
``dash.Patch`` of that optimizer's traces (the surface mesh is never resent):

    3-D / contour:  0 surface, 1 known minima, 2 start, then per drawn rule (``drawn_rules``: the
                    enabled ones, in ``optimizers.NAMES`` order; a disabled rule has no traces) the
                    traces of its roles (``roles_3d``: path line, end marker, playback marker;
                    ``roles_2d`` on the contour map: the same, then the ensemble's cloud or L-BFGS's
                    evaluated points, and the path of the rule's second point, ``Rule.companion``,
                    where the rule and the scene have them)                     (``rule_trace_index``)
    loss:           per rule (``roles_loss``): line, playback marker, events, and with an ensemble
                    its band (low, high) and median                            (``loss_trace_index``)

A rule has no empty placeholder traces: Plotly works through every trace on each redraw. Which roles
a rule has depends only on the rule and on scene fields that a change of the rule's own settings
leaves alone, so a Patch of one rule's traces finds every other rule's where they were.

Each of a rule's traces says what it is in ``meta`` (``role``: line, end, now, cloud, second, events,
band; ``rule``; ``stride`` of a thinned line): the browser finds a marker and the line it moves along
by it. The playback markers stand at the scene's step (``scene.step``), on the drawn (thinned) line
exactly where the browser's playback puts them (``assets/playback.js``), so a figure and a paused
scrubber agree.
"""

from __future__ import annotations

import numpy as np

import optimizers
from analysis.events import events_of
from analysis.numbers import fmt
from analysis.outcomes import Outcome, exact_loss
from analysis.statistics import DRAWABLE, ensemble_band, loss_floor, shown_z_range, stride_for
from app.plotting import THEME_COLORS, axis, f32, i32, label_margins, layout_common, num, thinned, trace_dict
from app.plotting import typed_array as typed_array  # re-exported: tests compare it with plotly's own
from app.state.scene import CAMERAS, Scene
from i18n import _
from optimizers.schedules import KINDS as SCHEDULE_KINDS
from optimizers.schedules import multipliers

GRID_3D = 60  # display grid of the 3-D mesh (the seed's 500 x 500 is far too heavy to send)
GRID_CONTOUR = 100
MAX_POINTS_3D = 600  # points per 3-D path line (every k-th step)
MAX_POINTS_2D = 2000  # points per contour path and loss line
HEAD = 3  # fixed traces before the per-rule ones (surface, minima, start)
CLOUD_POINTS = 2000  # points per optimizer for the ensemble's cloud of paths


def drawn_rules(outcomes) -> list[str]:
    """The rules that have traces, in ``optimizers.NAMES`` order: the enabled ones (``outcomes``' keys).
    Only these are sent: Plotly works through every trace of a figure on each redraw, and placeholders
    for the other rules were most of them (66, 108 and 126 traces for 5 drawn rules out of 21)."""
    return [r for r in optimizers.NAMES if r in outcomes]


ROLES_3D = ("line", "end", "now")  # a rule's traces in the 3-D view, in order
ROLES_2D = ("line", "end", "now", "cloud", "second")  # the most a rule has on the contour map, in order
ROLES_LOSS = ("line", "now", "events", "low", "high", "median")  # the most on the loss chart (low..median: band)


def roles_3d(o: Outcome, ensemble: bool | None = None) -> tuple[str, ...]:
    """``o``'s traces in the 3-D view: path line, end marker, playback marker."""
    return ROLES_3D


def roles_2d(o: Outcome, ensemble: bool | None = None) -> tuple[str, ...]:
    """``o``'s traces on the contour map: path line, end marker, playback marker; "cloud" with an
    ensemble or when the run recorded the points its steps evaluated (``RunResult.trail``: L-BFGS, in
    every run of at least one step, whatever its max_eval); "second" for a rule with a second point
    (``Rule.companion``, kept by every single run). ``ensemble``: whether the scene draws one
    (``analysis.outcomes.draws_ensemble``, for single runs of an ensemble's scene: the paused
    scrubber's); None: whether ``o`` has one. None of these changes with the rule's own settings."""
    ensemble = o.ensemble is not None if ensemble is None else ensemble
    has = {"cloud": ensemble or o.result.trail is not None, "second": _companion(o) is not None}
    return tuple(role for role in ROLES_2D if has.get(role, True))


def roles_loss(o: Outcome, ensemble: bool | None = None) -> tuple[str, ...]:
    """``o``'s traces on the loss chart: line, playback marker, events; with an ensemble (``ensemble``
    as for ``roles_2d``) its 10-90 % band's low and high edges and its median."""
    ensemble = o.ensemble is not None if ensemble is None else ensemble
    return ROLES_LOSS if ensemble else ROLES_LOSS[:3]


def _companion(o: Outcome) -> np.ndarray | None:
    """The path of ``o``'s second point (``Rule.companion``), None for a rule without one."""
    name = optimizers.RULES[o.rule].companion
    return o.result.state.get(name) if name else None


def _traces_before(rule: str | None, outcomes, roles, ensemble: bool | None) -> int:
    """How many traces the drawn rules before ``rule`` have (every drawn rule's for None)."""
    count = 0
    for other in drawn_rules(outcomes):
        if other == rule:
            return count
        count += len(roles(outcomes[other], ensemble))
    if rule is not None:
        raise ValueError(f"{rule!r} is not drawn")
    return count


def rule_trace_index(rule: str, outcomes: dict[str, Outcome], roles=roles_2d, ensemble: bool | None = None) -> int:
    """Index of ``rule``'s first trace on the contour map (``roles``: ``roles_3d`` for the 3-D view;
    ``ensemble`` as for ``roles_2d``)."""
    return HEAD + _traces_before(rule, outcomes, roles, ensemble)


def loss_trace_index(rule: str, outcomes: dict[str, Outcome], ensemble: bool | None = None) -> int:
    """Index of ``rule``'s first trace on the loss chart (``ensemble`` as for ``roles_2d``)."""
    return _traces_before(rule, outcomes, roles_loss, ensemble)


def rule_traces_end(outcomes: dict[str, Outcome], roles=roles_2d, ensemble: bool | None = None) -> int:
    """Index of the first trace after every drawn rule's on the contour map (or ``roles``' view)."""
    return HEAD + _traces_before(None, outcomes, roles, ensemble)


def loss_traces_end(outcomes: dict[str, Outcome], ensemble: bool | None = None) -> int:
    """Index of the first trace after every drawn rule's on the loss chart (``app.data``'s overlays)."""
    return _traces_before(None, outcomes, roles_loss, ensemble)


def with_uids(rule: str, traces: list[dict], roles) -> list[dict]:
    """``traces`` (``rule``'s, one for each of its ``roles``) with a ``uid`` naming the rule and role:
    Plotly keeps what the user did to a trace (a legend click) by uid under ``uirevision``, so it stays
    with its optimizer when enabling another one shifts the trace indices. No dot in it: Plotly writes
    a uid into a CSS selector (``.cb<uid>``) when it removes a trace, and ``.cbadam.0`` is not one."""
    if len(traces) != len(roles):
        raise ValueError(f"{rule}: {len(traces)} traces for the roles {roles}")
    for trace, role in zip(traces, roles, strict=True):
        trace["uid"] = f"{rule}-{role}"
    return traces


def _hover(rule: str) -> str:
    step = _("step")
    return f"{optimizers.RULES[rule].label}<br>{step} %{{customdata}}<br>x %{{x:.4~g}}, y %{{y:.4~g}}<extra></extra>"


ZRange = tuple[float, float, float | None]  # analysis.statistics.shown_z_range of the 3-D grid (lo, hi, peak)


def _lift(zrange: ZRange, rank: int) -> float:
    """How far above the surface a path is drawn (the seed's +0.2, +0.4, ... scaled to the surface)."""
    lo, hi, _clipped = zrange
    return ((hi - lo) or 1.0) * (0.01 + 0.006 * rank)


def _meta(role: str, rule: str, **more) -> dict:
    """What a rule's trace is, for the browser (``assets/playback.js`` finds the playback marker,
    ``role`` "now", and the line it moves along, "line", by it) and the tests."""
    return {"role": role, "rule": rule, **more}


def _end_symbol(o: Outcome) -> str:
    return "x" if (o.result.diverged_at is not None or o.left_view_at is not None) else "circle"


def now_index(n: int, stride: int, step) -> int:
    """The drawn point (index into a line of ``n`` points thinned to every ``stride``-th) the playback
    marker stands on at ``step``: the last drawn point at or before it, as ``assets/playback.js`` does."""
    return min(max(int(step), 0) // stride, (n - 1) // stride)


def loss_stride(o: Outcome, n: int, limit: int) -> int:
    """``stride_for(n, limit)`` rounded up to a multiple of the steps whose loss the run took
    (``RunResult.loss_every``: a data landscape's full-data loss is thinned), so a line of losses has no gaps."""
    every = max(1, int(getattr(o.result, "loss_every", 1)))
    return every * -(-stride_for(n, limit) // every)


def _loss_note(outcomes: dict[str, Outcome], scene: Scene, limit: int) -> str:
    """The chart's note on thinning: ``thinned``, or the full-data loss's own stride when it is coarser."""
    k = max((loss_stride(o, o.points, limit) for o in outcomes.values()), default=1)
    if k <= stride_for(scene.steps + 1, limit):
        return thinned(scene.steps, limit)
    return _("full-data loss drawn through 1 step in {k} (it costs N samples a step)").format(k=k)


def _now_trace(kind: str, rule: str, o: Outcome, n: int, limit: int, height, sizes: dict, step: int) -> dict:
    """The playback marker on the path line of ``_path_traces`` at ``step``."""
    r = optimizers.RULES[rule]
    stride = stride_for(n, limit) if height is None else loss_stride(o, n, limit)
    at = now_index(n, stride, step) * stride
    point = o.result.path[at]
    return trace_dict(
        kind,
        x=[num(point[0])],
        y=[num(point[1])],
        **({"z": [num(height(np.array([at]))[0])]} if height is not None else {}),
        mode="markers",
        name=_("{rule} now").format(rule=r.label),
        marker={"color": r.color, "size": sizes["now"], "symbol": "diamond", **sizes.get("now_line", {})},
        hoverinfo="skip",
        legendgroup=rule,
        showlegend=False,
        meta=_meta("now", rule, stride=stride),
    )


def _path_traces(kind: str, rule: str, o: Outcome, n: int, limit: int, height, sizes: dict, step: int) -> list[dict]:
    """Path line (first ``n`` points, every k-th so at most ``limit``), end marker with the run's
    status as hover text, and playback marker at ``step``; ``height(idx)`` gives 3-D heights, None for 2-D."""
    r = optimizers.RULES[rule]
    stride = stride_for(n, limit) if height is None else loss_stride(o, n, limit)  # 3-D: heights are losses
    idx = np.arange(0, n, stride)
    z = height(idx) if height is not None else None
    path = o.result.path
    end = idx[-1]
    common = {"legendgroup": rule, "showlegend": False}
    line_z = {"z": f32(z)} if z is not None else {}
    end_z = {"z": [num(z[-1])]} if z is not None else {}
    return [
        trace_dict(
            kind,
            x=f32(path[idx, 0]),
            y=f32(path[idx, 1]),
            **line_z,
            mode="lines",
            name=r.label,
            line={"color": r.color, "width": sizes["line"], "dash": r.dash},
            customdata=i32(idx),
            hovertemplate=_hover(rule),
            **common,
            meta=_meta("line", rule, stride=stride),
        ),
        trace_dict(
            kind,
            x=[num(path[end, 0])],
            y=[num(path[end, 1])],
            **end_z,
            mode="markers",
            name=f"{r.label}: {o.status}",
            marker={
                "color": r.color,
                "size": sizes["end"],
                "symbol": _end_symbol(o),
                "line": {"color": "black", "width": 1},
            },
            hovertext=[f"{r.label}: {o.status}"],
            hoverinfo="text",
            **common,
            meta=_meta("end", rule, stride=stride),
        ),
        _now_trace(kind, rule, o, n, limit, height, sizes, step),
    ]


SIZES_3D = {"line": 5, "end": 6, "now": 8}
SIZES_2D = {"line": 2, "end": 10, "now": 12, "now_line": {"line": {"color": "white", "width": 1}}}


def _path_3d(rule: str, o: Outcome, zrange: ZRange, scene: Scene):
    """(points drawn, height of step i) of ``rule``'s 3-D path: lifted above the surface, until it leaves the view."""
    n = o.points
    if o.left_view_at is not None:
        n = min(n, o.left_view_at + 1)
    zmin, zmax, _clipped = zrange
    lift = _lift(zrange, scene.rules.index(rule))

    def height(idx):
        return np.clip(o.result.loss[idx], zmin, zmax) + lift

    return n, height


def rule_traces_3d(
    rule: str, o: Outcome, surface, surface_z: np.ndarray, scene: Scene, zrange: ZRange | None = None
) -> list[dict]:
    """Path lifted above the surface (drawn until it leaves the view), end marker, playback marker
    (``zrange``: ``shown_z_range(surface_z)``, when the caller has it already: a percentile of the grid)."""
    n, height = _path_3d(rule, o, zrange or shown_z_range(surface_z), scene)
    return _path_traces("scatter3d", rule, o, n, MAX_POINTS_3D, height, SIZES_3D, scene.step)


def rule_traces_2d(rule: str, o: Outcome, step: int = 0) -> list[dict]:
    """The traces of ``roles_2d(o)``: path line, end marker, playback marker at ``step``, and where
    ``o`` has them the cloud and the second point's path."""
    traces = _path_traces("scatter", rule, o, o.points, MAX_POINTS_2D, None, SIZES_2D, step)
    more = {"cloud": _cloud_trace, "second": _second_trace}
    return traces + [more[role](rule, o) for role in roles_2d(o)[len(traces) :]]


def _second_trace(rule: str, o: Outcome) -> dict:
    """The path of the rule's second point (``Rule.companion``: ASGD's averaged iterate, schedule-free's
    averaged x), faint and dotted beside the path (``roles_2d``: only for a rule with one)."""
    r = optimizers.RULES[rule]
    common = {"legendgroup": rule, "showlegend": False, "meta": _meta("second", rule)}
    values = _companion(o)
    stride = stride_for(o.points, MAX_POINTS_2D)
    idx = np.arange(0, o.points, stride)
    words = _(r.slot_words.get(r.companion, r.companion)).split(" (")[0]
    return trace_dict(
        "scatter",
        x=f32(values[idx, 0]),
        y=f32(values[idx, 1]),
        mode="lines",
        name=f"{r.label}: {words}",
        line={"color": r.color, "width": 1.5, "dash": "dot"},
        opacity=0.7,
        customdata=i32(idx),
        hovertemplate=f"{r.label} · {words}<br>step %{{customdata}}<br>x %{{x:.4g}}, y %{{y:.4g}}<extra></extra>",
        **common,
    )


def _cloud_trace(rule: str, o: Outcome) -> dict:
    """The ensemble's paths, thinned, as one faint line broken by NaNs between runs (``roles_2d``:
    only with an ensemble, or L-BFGS's evaluated points without one)."""
    r = optimizers.RULES[rule]
    common = {"legendgroup": rule, "showlegend": False, "meta": _meta("cloud", rule, cloud=True)}
    e = o.ensemble
    if e is None:  # L-BFGS: every point its steps evaluated, faint
        return _trail_trace(r, o, common)
    n_runs = e.path.shape[1]
    per_run = max(2, CLOUD_POINTS // n_runs)
    idx = np.unique(np.linspace(0, e.path.shape[0] - 1, per_run).astype(int))
    pts = e.path[idx]  # (per_run, runs, 2); NaN after a run diverged
    gap = np.full((1, n_runs, 2), np.nan)
    xy = np.concatenate([pts, gap]).transpose(1, 0, 2).reshape(-1, 2)  # run after run, NaN between
    return trace_dict(
        "scatter",
        x=f32(xy[:, 0]),
        y=f32(xy[:, 1]),
        mode="lines",
        name=_("{rule}: {n} noise seeds").format(rule=r.label, n=n_runs),
        line={"color": r.color, "width": 1},
        opacity=0.25,
        hoverinfo="skip",
        **common,
    )


def _trail_trace(r, o: Outcome, common: dict) -> dict:
    """The points a vector rule's steps evaluated (L-BFGS's line search), as faint dots in the
    cloud's place (a run with an ensemble shows the cloud instead); at most CLOUD_POINTS of them."""
    pts = o.result.trail[: max(o.points - 1, 0)].reshape(-1, 2)
    pts = pts[np.isfinite(pts).all(axis=1)]
    if len(pts) > CLOUD_POINTS:
        pts = pts[np.linspace(0, len(pts) - 1, CLOUD_POINTS).astype(int)]
    return trace_dict(
        "scatter",
        x=f32(pts[:, 0]),
        y=f32(pts[:, 1]),
        mode="markers",
        name=_("{rule}: every evaluated point").format(rule=r.label),
        marker={"color": r.color, "size": 4},
        opacity=0.35,
        hoverinfo="skip",
        **common,
    )


EVENT_SYMBOLS = {
    "converged": "star",
    "diverged": "x",
    "left the view": "triangle-right",
    "stalled": "hourglass",
    "escaped a saddle": "triangle-up",
    "stopped": "square",
}


def rule_traces_loss(rule: str, o: Outcome, scene: Scene, floor: float, surface, events=None) -> list[dict]:
    """Loss line, playback marker, the run's events (``analysis.events``) marked on the line, and
    with an ensemble its band and median (``roles_loss``)."""
    r = optimizers.RULES[rule]
    y, s = _loss_line(o, scene, floor)
    common = {"legendgroup": rule, "meta": _meta("line", rule, stride=s)}
    name = (
        r.label
        if o.result.diverged_at is None
        else _("{rule} (diverged at {step})").format(rule=r.label, step=o.result.diverged_at)
    )
    return [
        trace_dict(
            "scatter",
            x0=0,
            dx=s,
            y=f32(y),
            mode="lines",
            name=name,
            line={"color": r.color, "width": 2, "dash": r.dash},
            hovertemplate=f"{r.label}<br>{_('step')} %{{x}}<br>{_('loss')} %{{y:.4~g}}<extra></extra>",
            **common,
        ),
        _loss_now_trace(r, y, s, scene.step),
        _events_trace(r, events_of(o, surface) if events is None else events, o, scene, floor, surface),
        *_band_traces(r, o, scene, floor),
    ]


def _loss_now_trace(r, y: np.ndarray, stride: int, step: int) -> dict:
    """The loss chart's playback marker at ``step`` on the drawn line ``y`` (every ``stride``-th step)."""
    j = now_index(y.size * stride, stride, step)
    return trace_dict(
        "scatter",
        x=[j * stride],
        y=[num(y[j])],
        mode="markers",
        marker={"color": r.color, "size": 9, "symbol": "diamond"},
        showlegend=False,
        hoverinfo="skip",
        name=_("{rule} now").format(rule=r.label),
        legendgroup=r.name,
        meta=_meta("now", r.name, stride=stride),
    )


def _loss_line(o: Outcome, scene: Scene, floor: float) -> tuple[np.ndarray, int]:
    """The loss chart's line of ``o`` (every s-th step, above the floor in the log view) and s."""
    s = loss_stride(o, o.points, MAX_POINTS_2D)
    loss = o.result.loss[: o.points : s]
    return (np.maximum(loss - floor, 1e-16) if scene.log_loss else loss), s


def now_traces(
    rule: str, o: Outcome, surface_z: np.ndarray, scene: Scene, floor: float, zrange: ZRange | None = None
) -> tuple[dict, dict, dict]:
    """``rule``'s playback markers at ``scene.step`` in the 3-D view, the contour map and the loss chart
    (``floor``: ``loss_floor`` of the scene; ``zrange`` as for ``rule_traces_3d``): what a paused
    scrubber's answer patches in."""
    n, height = _path_3d(rule, o, zrange or shown_z_range(surface_z), scene)
    y, s = _loss_line(o, scene, floor)
    return (
        _now_trace("scatter3d", rule, o, n, MAX_POINTS_3D, height, SIZES_3D, scene.step),
        _now_trace("scatter", rule, o, o.points, MAX_POINTS_2D, None, SIZES_2D, scene.step),
        _loss_now_trace(optimizers.RULES[rule], y, s, scene.step),
    )


def _band_traces(r, o: Outcome, scene: Scene, floor: float) -> list[dict]:
    """The ensemble's 10-90 % band (two traces, the upper filled down to the lower) and its median;
    none without an ensemble."""
    common = {"legendgroup": r.name, "showlegend": False, "meta": _meta("band", r.name, band=True)}
    if o.ensemble is None:
        return []
    steps, p10, med, p90 = ensemble_band(o, floor if scene.log_loss else None)
    runs = o.ensemble.path.shape[1]
    band = {"mode": "lines", "line": {"width": 0, "color": r.color}, "hoverinfo": "skip", **common}
    return [
        trace_dict("scatter", x=i32(steps), y=f32(p10), name=f"{r.label} 10 %", **band),
        trace_dict(
            "scatter",
            x=i32(steps),
            y=f32(p90),
            name=_("{rule} 10-90 {percent} of {n} seeds").format(rule=r.label, percent="%", n=runs),
            fill="tonexty",
            fillcolor=_rgba(r.color, 0.2),
            **band,
        ),
        trace_dict(
            "scatter",
            x=i32(steps),
            y=f32(med),
            mode="lines",
            name=_("{rule} median of {n} seeds").format(rule=r.label, n=runs),
            line={"color": r.color, "width": 1.5, "dash": "dot"},
            hovertemplate=f"{r.label}: median of {runs} seeds<br>step %{{x}}<br>loss %{{y:.4~g}}<extra></extra>",
            **common,
        ),
    ]


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    return f"rgba({int(h[0:2], 16)}, {int(h[2:4], 16)}, {int(h[4:6], 16)}, {alpha})"


def _events_trace(r, events: list, o: Outcome, scene: Scene, floor: float, surface) -> dict:
    loss = o.result.loss
    at = exact_loss(o.result, surface, np.array([min(e.step, loss.size - 1) for e in events], dtype=int))
    ys = []
    for e, value in zip(events, at.tolist(), strict=True):
        if not np.isfinite(value):  # the diverged point itself: mark the last finite loss
            finite = loss[: e.step][np.isfinite(loss[: e.step])]
            value = float(finite[-1]) if finite.size else 0.0
        ys.append(num(max(value - floor, 1e-16) if scene.log_loss else value))
    return trace_dict(
        "scatter",
        x=[e.step for e in events],
        y=ys,
        mode="markers",
        name=_("{rule} events").format(rule=r.label),
        marker={
            "symbol": [EVENT_SYMBOLS[e.kind] for e in events],
            "size": 12,
            "color": r.color,
            "line": {"color": "black", "width": 1},
        },
        hovertext=[e.text for e in events],
        hoverinfo="text",
        showlegend=False,
        legendgroup=r.name,
        meta=_meta("events", r.name, events=[e.kind for e in events]),
    )


def _minima_start(surface, scene: Scene, z_of=None) -> list:
    minima = surface.minima_array()
    sx, sy = scene.start_point()
    edge = THEME_COLORS[scene.theme]["marker_edge"]
    if z_of is None:
        return [
            trace_dict(
                "scatter",
                x=minima[:, 0].tolist(),
                y=minima[:, 1].tolist(),
                mode="markers",
                name=_("known minima"),
                marker={"symbol": "star", "size": 9, "color": "white", "line": {"color": "black", "width": 1}},
                hovertemplate=_("known minimum") + " (%{x:.4~g}, %{y:.4~g})<extra></extra>",
                showlegend=False,
            ),
            trace_dict(
                "scatter",
                x=[sx],
                y=[sy],
                mode="markers",
                name=_("start"),
                showlegend=False,
                marker={"symbol": "circle-open", "size": 14, "color": edge, "line": {"width": 3}},
                hovertemplate=_("start") + " (%{x:.4~g}, %{y:.4~g})<extra></extra>",
            ),
        ]
    return [
        trace_dict(
            "scatter3d",
            x=minima[:, 0].tolist(),
            y=minima[:, 1].tolist(),
            z=np.asarray(z_of(minima[:, 0], minima[:, 1])).tolist(),
            mode="markers",
            name=_("known minima"),
            showlegend=False,
            marker={"symbol": "diamond", "size": 5, "color": "white", "line": {"color": "black", "width": 2}},
            hovertemplate=_("known minimum") + " (%{x:.4~g}, %{y:.4~g})<extra></extra>",
        ),
        trace_dict(
            "scatter3d",
            x=[sx],
            y=[sy],
            z=np.asarray(z_of(np.array([sx]), np.array([sy]))).tolist(),
            mode="markers",
            name=_("start"),
            showlegend=False,
            marker={"symbol": "circle-open", "size": 6, "color": edge},
            hovertemplate=_("start") + " (%{x:.4~g}, %{y:.4~g})<extra></extra>",
        ),
    ]


def surface_figure(surface, outcomes: dict[str, Outcome], scene: Scene) -> dict:
    """The 3-D surface with contour projection, minima, start and every path."""
    xs, ys, z = surface.grid(GRID_3D)
    zrange = zmin, zmax, peak = shown_z_range(z)  # once: every path's height is clipped to it
    lift = _lift(zrange, len(scene.rules))
    data = [
        trace_dict(
            "surface",
            x=f32(xs),
            y=f32(ys),
            z=f32(z if peak is None else np.minimum(z, zmax)),  # a dominating peak cut (the note says so)
            colorscale="Viridis",
            opacity=0.92,
            showscale=False,
            name=surface.label,
            hovertemplate="x %{x:.4~g}<br>y %{y:.4~g}<br>" + _("loss") + " %{z:.4~g}<extra></extra>",
            contours={"z": {"show": True, "usecolormap": True, "project": {"z": True}, "highlightcolor": "#009E73"}},
        ),
        *_minima_start(surface, scene, z_of=lambda a, b: np.clip(surface.value(a, b), zmin, zmax) + lift),
    ]
    for rule in drawn_rules(outcomes):
        o = outcomes[rule]
        data += with_uids(rule, rule_traces_3d(rule, o, surface, z, scene, zrange), roles_3d(o))
    (x0, x1), (y0, y1) = surface.domain
    layout = {
        **layout_common(
            scene,
            _("{surface}: loss surface").format(surface=surface.label),
            _loss_note(outcomes, scene, MAX_POINTS_3D),
        ),
        "showlegend": False,
        "scene": {
            "xaxis": axis(scene, "x (w₁)", range=[x0, x1]),
            "yaxis": axis(scene, "y (w₂)", range=[y0, y1]),
            "zaxis": axis(scene, _("loss"), range=[zmin, zmax + 2 * lift]),
            "camera": camera(scene.camera),
            "uirevision": f"{scene.surface}:{scene.camera}",  # a new preset moves a camera the user turned
            "aspectmode": "cube",
        },
    }
    if peak is not None:
        layout["annotations"] = [clip_note(zmax, peak)]
    return {"data": data, "layout": layout}


def camera(name: str) -> dict:
    """Plotly's scene camera of a preset (``app.state.scene.CAMERAS``: the notebook's eye (2, 2, 2), top, side)."""
    preset = CAMERAS.get(name, CAMERAS["notebook"])
    xyz = ("x", "y", "z")
    return {
        "eye": dict(zip(xyz, preset["eye"], strict=True)),
        "up": dict(zip(xyz, preset["up"], strict=True)),
        "center": {"x": 0, "y": 0, "z": 0},
    }


def clip_note(top: float, peak: float) -> dict:
    """The 3-D view's note when a dominating peak is cut (``analysis.statistics.shown_z_range``)."""
    return {
        "text": _("loss axis cut at {top} (a peak reaches {peak}) so the paths stay readable").format(
            top=fmt(top), peak=fmt(peak)
        ),
        "showarrow": False,
        "x": 0,
        "y": 0,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "left",
        "yanchor": "bottom",
        "font": {"size": 11},
        "name": "z-clip",
    }


def contour_figure(surface, outcomes: dict[str, Outcome], scene: Scene) -> dict:
    """The contour map with the same paths; clicking it picks the start."""
    xs, ys, z = surface.grid(GRID_CONTOUR)
    data = [
        trace_dict(
            "contour",
            x=f32(xs),
            y=f32(ys),
            z=f32(z),
            colorscale="Viridis",
            ncontours=30,
            showscale=False,
            line={"width": 0.5, "smoothing": 0},  # straight segments: smoothing doubled every redraw (~45 ms)
            name=surface.label,
            hovertemplate="x %{x:.4~g}, y %{y:.4~g}<br>"
            + _("loss")
            + " %{z:.4~g}<br>"
            + _("click to start here")
            + "<extra></extra>",
        ),
        *_minima_start(surface, scene),
    ]
    for rule in drawn_rules(outcomes):
        data += with_uids(rule, rule_traces_2d(rule, outcomes[rule], scene.step), roles_2d(outcomes[rule]))
    (x0, x1), (y0, y1) = surface.domain
    layout = {
        **layout_common(
            scene,
            _("Contour map"),
            " · ".join(filter(None, [_("click to choose the start"), thinned(scene.steps, MAX_POINTS_2D)])),
        ),
        "showlegend": False,
        "xaxis": axis(scene, "x (w₁)", range=[x0, x1], constrain="domain", automargin=True),
        "yaxis": axis(scene, "y (w₂)", range=[y0, y1], scaleanchor="x", automargin=True),
        "clickmode": "event",
    }
    layout["margin"] = label_margins(scene, layout, left=64, bottom=50, right=20)  # "−1.5" and its title
    return {"data": data, "layout": layout}


def loss_figure(surface, outcomes: dict[str, Outcome], scene: Scene, events: dict | None = None) -> dict:
    """Loss against step, one line per optimizer; the legend toggles an optimizer in every view."""
    floor = loss_floor(outcomes, surface)
    data = []
    for rule in drawn_rules(outcomes):
        o, shown = outcomes[rule], (events or {}).get(rule)
        data += with_uids(rule, rule_traces_loss(rule, o, scene, floor, surface, shown), roles_loss(o))
    ytitle = _("loss − L* (L* = {floor}, log scale)").format(floor=fmt(floor)) if scene.log_loss else _("loss")
    layout = {
        **layout_common(scene, _("Loss per step"), _loss_note(outcomes, scene, MAX_POINTS_2D)),
        "xaxis": axis(scene, _("step"), range=[0, scene.steps], automargin=True),
        "yaxis": axis(scene, ytitle, type="log" if scene.log_loss else "linear", automargin=True),
        "legend": {"title": {"text": _("click to hide / show")}},
    }
    layout["margin"] = label_margins(scene, layout, left=_loss_label_room(outcomes, scene), bottom=44)
    if not outcomes:
        layout["annotations"] = [
            {
                "text": _("No optimizer enabled: tick one in the panel."),
                "showarrow": False,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
            }
        ]
    return {"data": data, "layout": layout}


BIG_LOSS = 1e15  # Plotly writes tick labels from here on as "−0.8×10³³" rather than "−1.5T"


def _loss_label_room(outcomes: dict[str, Outcome], scene: Scene) -> int:
    """px left of the loss chart for its tick labels and title: "−1.5T", "0.001", "10⁻¹⁶" fit in 70;
    a diverging run's linear axis ("−0.8×10³³") needs 92."""
    if scene.log_loss:
        return 70
    peak = 0.0
    for o in outcomes.values():
        loss = np.abs(o.result.loss[: o.points])
        loss = loss[loss <= DRAWABLE]  # what f32 leaves drawn (NaN and beyond DRAWABLE are gaps)
        peak = max(peak, float(loss.max(initial=0.0)))
    return 92 if peak >= BIG_LOSS else 70


def lr_figure(outcomes: dict[str, Outcome], scene: Scene) -> dict:
    """The learning rate each scheduled optimizer uses at each step (lr times its schedule)."""
    data = []
    for rule, o in outcomes.items():
        sched = scene.schedules.get(rule)
        if sched is None:
            continue
        r = optimizers.RULES[rule]
        lr = float(o.result.hyper["lr"]) * multipliers(sched, scene.steps)
        s = stride_for(scene.steps, MAX_POINTS_2D)
        data.append(
            trace_dict(
                "scatter",
                x0=0,
                dx=s,
                y=f32(lr[::s]),
                mode="lines",
                name=f"{r.label}: {SCHEDULE_KINDS[sched.kind][0]}",
                line={"color": r.color, "width": 2, "dash": r.dash},
                hovertemplate=f"{r.label}<br>{_('step')} %{{x}}<br>{_('learning rate')} %{{y:.4~g}}<extra></extra>",
                meta={"rule": rule},
            )
        )
    layout = {
        **layout_common(scene, _("Learning rate per step")),
        "xaxis": axis(scene, _("step"), range=[0, scene.steps], automargin=True),
        "yaxis": axis(scene, _("learning rate"), automargin=True, rangemode="tozero"),
        "margin": {"l": 10, "r": 10, "t": 36, "b": 10},
    }
    layout["margin"] = label_margins(scene, layout, left=64, bottom=44)  # "0.001" and its title
    return {"data": data, "layout": layout}
