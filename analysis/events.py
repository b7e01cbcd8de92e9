"""What happened in a run, in plain words: converged, diverged, left the view, stalled, escaped a saddle.

Pure functions of an ``Outcome`` and its surface (no Dash). The definitions, with span the width
of the surface's domain and g_k = |grad L(theta_k)| the true gradient's norm:

- converged at k: from step k on, the point stays within ``CONVERGE_TOL`` of a known minimum,
  and g_k <= ``GRAD_TOL`` * max(1, g_0) (the gradient is small there too);
- diverged at k: the point became non-finite or left +-bound (the engine stops the run);
- left the view at k: the first point outside the domain;
- stalled at k: for the next ``STALL_WINDOW`` steps the point moves less than 1e-4 * span per step
  while g_k is small, away from every known minimum (a plateau, or a saddle when one is near);
- stopped at k: a vector rule stopped itself (Newton where H + δI is singular), with its reason;
- escaped a saddle at k: the path stayed within 0.05 * span of a known saddle for at least
  ``SADDLE_DWELL`` steps and at step k is more than twice that far again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

import optimizers
from analysis.numbers import fmt, pair
from analysis.outcomes import CONVERGE_TOL, Outcome
from i18n import _
from landscapes.surface import distance, distances

GRAD_TOL = 1e-2
STALL_WINDOW = 50
NEAR_SADDLE = 0.05  # of the domain's span
SADDLE_DWELL = 5  # steps near a saddle before leaving it counts as escaping
CHUNK = 32  # the convergence check's first look: gradients (N samples each on data) only as far as needed
MAX_CHECKED_POINTS = 4000  # saddle and stall checks look at every k-th step beyond this


@dataclass(frozen=True)
class Event:
    rule: str
    kind: str  # "converged", "diverged", "left the view", "stalled", "escaped a saddle", "stopped"
    step: int
    point: tuple[float, float]  # where the run was at that step
    text: str
    landmark: tuple[float, float] | None = None  # the minimum or saddle the event is about


def _grad_norm(surface, path: np.ndarray) -> np.ndarray:
    gx, gy = surface.gradient(path[:, 0], path[:, 1])
    return np.hypot(gx, gy)


def curvature(surface, point: tuple[float, float]) -> float:
    """The largest |eigenvalue| of the surface's exact Hessian at ``point`` (NaN where it is not known)."""
    hess = surface.hessian_matrix(*point)
    if not np.isfinite(hess).all():
        return float("nan")
    return float(np.max(np.abs(np.linalg.eigvalsh(hess))))


def divergence_reason(o: Outcome, surface) -> str:
    """Why a run diverged, in words: a surface that falls away without bound, or the rule's own
    stability limit for the curvature at the start (``Rule.stable_lr``: SGD's lr > 2/λ), or steps too
    large in general."""
    loss = o.result.loss[np.isfinite(o.result.loss)]
    if loss.size > 1 and loss[-1] < loss[0] - 1e3 * max(1.0, abs(loss[0])):
        return _("the surface falls away without bound in that direction, so there is no minimum to stop at")
    lr = float(o.result.hyper.get("lr", float("nan")))
    lam = curvature(surface, tuple(o.result.path[0]))
    stable_lr = optimizers.RULES[o.rule].stable_lr  # the rule's own limit, if it has one
    if stable_lr is not None and np.isfinite(lam) and lam > 0:
        limit, formula = stable_lr({k: float(v) for k, v in o.result.hyper.items()}, lam)
        if lr > limit:
            return _("learning rate {lr} is above {formula} = {limit} for the curvature λ = {lam} at the start").format(
                lr=fmt(lr), formula=formula, limit=fmt(limit), lam=fmt(lam)
            )
    return _("its steps grew without bound: the learning rate is too large for this curvature")


def _converged_at(o: Outcome, surface) -> int | None:
    """The first step from ``o.converged_at`` on where the gradient is small as well."""
    k = o.converged_at
    if k is None or o.result.diverged_at is not None:
        return None
    path = o.result.path
    g0 = float(_grad_norm(surface, path[:1])[0])
    chunk = CHUNK
    while k < path.shape[0]:  # in growing chunks: the first small gradient is usually near k
        small = np.flatnonzero(_grad_norm(surface, path[k : k + chunk]) <= GRAD_TOL * max(1.0, g0))
        if small.size:
            return k + int(small[0])
        k, chunk = k + chunk, 4 * chunk
    return None


def _stalled_at(o: Outcome, surface, path: np.ndarray, stride: int) -> int | None:
    window = max(1, STALL_WINDOW // stride)
    if path.shape[0] <= window:
        return None
    moved = np.hypot(*np.diff(path, axis=0).T)  # per checked point, covering `stride` steps
    slow = moved < 1e-4 * surface.span() * stride
    # slow over a whole window: a moving sum of `slow` equal to the window length
    run = np.convolve(slow.astype(int), np.ones(window, dtype=int), mode="valid") == window
    slow_from = np.flatnonzero(run)  # the distance to the minima only there (k minima x steps otherwise)
    far = surface.nearest_minimum(path[slow_from])[1]  # inf when the surface has no known minimum
    candidates = slow_from[far > CONVERGE_TOL]
    if not candidates.size:
        return None
    # the gradient only where the rest holds (on data each costs N samples)
    g0 = max(1.0, float(_grad_norm(surface, path[:1])[0]))
    idx = candidates[_grad_norm(surface, path[candidates]) <= GRAD_TOL * g0]
    return int(idx[0]) * stride if idx.size else None


FEW_SADDLES = 16  # up to this many saddles near a path's box are checked one by one; more, all at once


def _saddle_escapes(o: Outcome, surface, path: np.ndarray, stride: int) -> list[tuple[int, tuple[float, float]]]:
    """The first three (step, saddle) where the run escaped a saddle: it stayed within ``near`` of it for
    ``dwell`` points in a row (from the first such point on), then went beyond ``2 near``. A few saddles
    are looked at one by one; of many (Rastrigin has 220) only those within ``near`` of the path's box,
    and when those are still many, all together (``_lingered``: a run bouncing across the view passes
    near all of them)."""
    saddles = surface.saddles_array()
    if not saddles.size:
        return []
    near = NEAR_SADDLE * surface.span()
    dwell = max(1, SADDLE_DWELL // stride)
    which, lingered = np.arange(saddles.shape[0]), None
    if which.size > FEW_SADDLES:
        finite = path[np.isfinite(path).all(axis=1)]
        lo, hi = finite.min(axis=0) - near, finite.max(axis=0) + near  # the first point is finite
        which = np.flatnonzero(((saddles >= lo) & (saddles <= hi)).all(axis=1))
        if which.size > FEW_SADDLES:
            lingered = _lingered(path, saddles, which, near, dwell)
            which = np.array(sorted(lingered), dtype=np.int64)
    escapes = []
    for j in which:
        if lingered is not None:
            first = lingered[j]
            dj = distance(path[first:], saddles[j])
            after = np.flatnonzero(dj > 2 * near)
        else:
            # |p - s| >= max(|dx|, |dy|): a saddle no point comes within ``near`` of in both coordinates
            # is passed by without computing the distances to it
            dx, dy = np.abs(path[:, 0] - saddles[j, 0]), np.abs(path[:, 1] - saddles[j, 1])
            if not ((dx <= near) & (dy <= near)).any():
                continue
            dj = distance(path, saddles[j])
            held = np.convolve(dj <= near, np.ones(dwell, dtype=int), mode="valid") == dwell
            if not held.any():
                continue  # passing by is not being held up
            first = int(np.flatnonzero(held)[0])
            after = np.flatnonzero(dj[first:] > 2 * near)
        if after.size:
            escapes.append(((first + int(after[0])) * stride, (float(saddles[j, 0]), float(saddles[j, 1]))))
    return sorted(escapes)[:3]


def _lingered(path: np.ndarray, saddles: np.ndarray, which: np.ndarray, near: float, dwell: int) -> dict[int, int]:
    """{saddle j of ``which``: the first point from which ``dwell`` points in a row lie within ``near``
    of it (|p - s| by ``distance``)}, for the saddles that have such points. The (point, saddle) pairs
    within ``near`` in both coordinates come from k-d trees (``scipy.spatial.cKDTree``), then the
    distance of each pair decides, as point by point."""
    points = np.flatnonzero(np.isfinite(path).all(axis=1))
    pairs = cKDTree(path[points]).sparse_distance_matrix(
        cKDTree(saddles[which]), near * (1 + 1e-9), p=np.inf, output_type="ndarray"
    )
    i, j = points[pairs["i"]], which[pairs["j"]]
    with np.errstate(invalid="ignore"):
        close = distance(path[i], saddles[j]) <= near
    i, j = i[close], j[close]
    order = np.lexsort((i, j))  # by saddle, then point
    i, j = i[order], j[order]
    # pairs k .. k + dwell - 1 of one saddle at dwell consecutive points: i rises by exactly dwell - 1
    n = i.size - dwell + 1
    if n <= 0:
        return {}
    run = (j[dwell - 1 :] == j[:n]) & (i[dwell - 1 :] - i[:n] == dwell - 1)
    starts = np.flatnonzero(run)
    held, at = np.unique(j[starts], return_index=True)  # each saddle's first run: its smallest point
    return {int(s): int(i[starts[k]]) for s, k in zip(held, at, strict=True)}


def events_of(o: Outcome, surface) -> list[Event]:
    """The run's events in step order."""
    label = optimizers.RULES[o.rule].label
    full = o.result.path
    n = o.points
    stride = max(1, -(-n // MAX_CHECKED_POINTS))
    path = full[:n:stride]
    events: list[Event] = []

    def add(kind: str, step: int, text: str, landmark=None) -> None:
        p = full[min(step, n - 1)]
        events.append(Event(o.rule, kind, step, (float(p[0]), float(p[1])), text, landmark))

    for step, (sx, sy) in _saddle_escapes(o, surface, path, stride):
        add(
            "escaped a saddle",
            step,
            _("{rule} escaped the saddle at {point} at step {step}").format(
                rule=label, point=pair((sx, sy)), step=step
            ),
            (sx, sy),
        )
    if o.result.diverged_at is not None:
        k = o.result.diverged_at
        add(
            "diverged",
            k,
            _("{rule} diverged at step {step}: {reason}").format(
                rule=label, step=k, reason=divergence_reason(o, surface)
            ),
        )
    elif o.left_view_at is not None:
        add(
            "left the view",
            o.left_view_at,
            _("{rule} left the view at step {step}").format(rule=label, step=o.left_view_at),
        )
    converged = _converged_at(o, surface)
    if o.result.stopped_at is not None:  # a vector rule's own stop (Newton: H singular); it stays there
        k = o.result.stopped_at
        add(
            "stopped",
            k,
            _("{rule} stopped at step {step}: {reason}").format(rule=label, step=k, reason=_(o.result.stop_reason)),
        )
    if converged is not None:
        x, y = o.nearest_minimum
        text = _("{rule} reached the minimum at {point} within 1e-3 at step {step}").format(
            rule=label, point=pair((x, y)), step=converged
        )
        add("converged", converged, text, (x, y))
    elif o.result.diverged_at is None and o.result.stopped_at is None:
        stalled = _stalled_at(o, surface, path, stride)
        if stalled is not None:
            saddles = surface.saddles_array()
            p = full[stalled]
            if saddles.size:
                d = distances(p, saddles)
                j = int(np.argmin(d))
                if d[j] <= NEAR_SADDLE * surface.span():
                    sx, sy = float(saddles[j, 0]), float(saddles[j, 1])
                    text = _("{rule} stalled near the saddle at {point} at step {step}").format(
                        rule=label, point=pair((sx, sy)), step=stalled
                    )
                    add("stalled", stalled, text, (sx, sy))
                    return sorted(events, key=lambda e: e.step)
            add(
                "stalled",
                stalled,
                _("{rule} stalled on a plateau at {point} at step {step}").format(
                    rule=label, point=pair(p), step=stalled
                ),
            )
    return sorted(events, key=lambda e: e.step)


def run_sentence(o: Outcome, events: list[Event]) -> str:
    """One clause for the summary: the run's main outcome (and a saddle escape, if any)."""
    label = optimizers.RULES[o.rule].label
    main = [e for e in events if e.kind != "escaped a saddle"]
    text = (
        main[-1].text
        if main
        else _("{rule} ended at loss {loss} after {steps} steps").format(
            rule=label, loss=fmt(o.final_loss), steps=o.result.steps
        )
    )
    escapes = [e for e in events if e.kind == "escaped a saddle"]
    if escapes:
        sx, sy = escapes[0].landmark
        text += _(", after escaping the saddle at {point} at step {step}").format(
            point=pair((sx, sy)), step=escapes[0].step
        )
    return text
