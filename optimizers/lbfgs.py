"""L-BFGS, as ``torch.optim.LBFGS(lr, max_iter=1, max_eval, tolerance_grad, tolerance_change,
history_size, line_search_fn)``: one step is one ``.step(closure)`` call (a vector rule,
``optimizers.vector``), its memory kept across steps.

    stop if max|g_t| ≤ tolerance_grad                       (the step's first evaluation, f_t, g_t)
    first step: d = −g_t,  t = min(1, 1/‖g_t‖₁)·lr
    later:      y = g_t − g_prev,  s = t_prev·d_prev;  if y·s > 1e-10 remember (s, y, ρ = 1/y·s)
                (dropping the oldest beyond history_size) and set γ = y·s / y·y;
                d = −H̃ g_t by the two-loop recursion with H̃₀ = γI;  t = lr
    stop if g_t·d > −tolerance_change
    θ_t = θ_{t−1} + t·d,  t from torch's strong-Wolfe search (c1 1e-4, c2 0.9) when line_search is 1,
          which may evaluate L and ∇L up to max_eval − 1 more times.

torch's max_eval defaults to max_iter·5//4 = 1 for max_iter=1, which leaves its line search one
trial step (kept if it lowers L, else t = 0); ``max_eval`` 25 lets it bracket and zoom. Each
evaluation point of a step is recorded (``RunResult.trail``), and the count per step is the
``evals`` slot: a step costs 1 + (line-search trials) evaluations, not one gradient.

At rest: when a step returns without moving (max|g| ≤ tolerance_grad, or g·d > −tolerance_change),
the next step with the very same gradient returns again (y = g − g_prev = 0 adds no pair, so d and
g·d repeat); ``update`` answers such a step in O(1) with torch's numbers, and ``still`` tells the
engine's loop that a start without gradient noise need not be stepped again.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from optimizers.hyper import defaults
from optimizers.lbfgs_search import strong_wolfe
from optimizers.rule import Rule

# buf layout: scalars, then the history (oldest first) of s and y (2 each), ρ and α.
N_ITER, NUM_OLD, T, DX, DY, PGX, PGY, PREV_LOSS, H_DIAG, FUNC_EVALS, CAPACITY, IDLE = range(12)
HEAD = 12
# IDLE: how the last step returned without moving (torch's early returns), else 0.
SLOPE_IDLE = 1.0  # g·d > −tolerance_change
GRAD_IDLE = 2.0  # max|g| ≤ tolerance_grad


class State(NamedTuple):
    """What the inspector shows (each a pair)."""

    evals: np.ndarray  # evaluations (this step, in total)
    direction: np.ndarray  # d
    memory: np.ndarray  # (pairs remembered, step length t)


def init(x, y, hyper):
    cap = int(hyper.history_size)
    buf = np.zeros(HEAD + 6 * cap)
    buf[CAPACITY] = cap
    buf[H_DIAG] = 1.0
    return np.zeros((3, 2)), buf


def update(f, gx, gy, state, x, y, hyper, evaluate, hessian, ctx, trail):
    shown, buf = state
    cap = int(buf[CAPACITY])
    s0 = HEAD
    y0 = HEAD + 2 * cap
    r0 = HEAD + 4 * cap
    a0 = HEAD + 5 * cap
    if trail.shape[0] > 0:
        trail[0, 0] = x
        trail[0, 1] = y
    current_evals = 1
    buf[FUNC_EVALS] += 1.0
    shown[0, 0] = 1.0
    shown[0, 1] = buf[FUNC_EVALS]
    if max(abs(gx), abs(gy)) <= hyper.tolerance_grad:  # optimal condition
        buf[IDLE] = GRAD_IDLE
        return x, y, state, 0

    buf[N_ITER] += 1.0
    idle = buf[IDLE]
    buf[IDLE] = 0.0
    if idle == SLOPE_IDLE and gx == buf[PGX] and gy == buf[PGY]:
        # The last step stopped at the slope check with this very gradient: y = g − g_prev = 0 adds
        # no pair, so the two-loop gives the same d and the check stops again (torch's numbers, O(1)).
        buf[PREV_LOSS] = f
        buf[T] = hyper.lr
        shown[2, 1] = hyper.lr
        buf[IDLE] = SLOPE_IDLE
        return x, y, state, 0
    if buf[N_ITER] == 1.0:
        dx = -gx
        dy = -gy
        buf[NUM_OLD] = 0.0
        buf[H_DIAG] = 1.0
    else:
        # y = g - prev_g, s = d * t
        yx = gx - buf[PGX]
        yy = gy - buf[PGY]
        sx = buf[DX] * buf[T]
        sy = buf[DY] * buf[T]
        ys = yx * sx + yy * sy
        num_old = int(buf[NUM_OLD])
        if ys > 1e-10:
            if num_old == cap:  # shift history by one (limited memory)
                for i in range(num_old - 1):
                    buf[s0 + 2 * i] = buf[s0 + 2 * i + 2]
                    buf[s0 + 2 * i + 1] = buf[s0 + 2 * i + 3]
                    buf[y0 + 2 * i] = buf[y0 + 2 * i + 2]
                    buf[y0 + 2 * i + 1] = buf[y0 + 2 * i + 3]
                    buf[r0 + i] = buf[r0 + i + 1]
                num_old -= 1
            buf[y0 + 2 * num_old] = yx
            buf[y0 + 2 * num_old + 1] = yy
            buf[s0 + 2 * num_old] = sx
            buf[s0 + 2 * num_old + 1] = sy
            buf[r0 + num_old] = 1.0 / ys
            num_old += 1
            buf[NUM_OLD] = num_old
            buf[H_DIAG] = ys / (yx * yx + yy * yy)
        # two-loop recursion: q = -g; al_i = s_i·q ρ_i; q -= al_i y_i; r = q γ; r += (al_i - y_i·r ρ_i) s_i
        qx = -gx
        qy = -gy
        for i in range(num_old - 1, -1, -1):
            al = (buf[s0 + 2 * i] * qx + buf[s0 + 2 * i + 1] * qy) * buf[r0 + i]
            buf[a0 + i] = al
            qx = qx + buf[y0 + 2 * i] * -al
            qy = qy + buf[y0 + 2 * i + 1] * -al
        dx = qx * buf[H_DIAG]
        dy = qy * buf[H_DIAG]
        for i in range(num_old):
            be_i = (buf[y0 + 2 * i] * dx + buf[y0 + 2 * i + 1] * dy) * buf[r0 + i]
            dx = dx + buf[s0 + 2 * i] * (buf[a0 + i] - be_i)
            dy = dy + buf[s0 + 2 * i + 1] * (buf[a0 + i] - be_i)
    buf[PGX] = gx
    buf[PGY] = gy
    buf[PREV_LOSS] = f
    # step length
    if buf[N_ITER] == 1.0:
        t = min(1.0, 1.0 / (abs(gx) + abs(gy))) * hyper.lr
    else:
        t = hyper.lr
    buf[DX] = dx
    buf[DY] = dy
    buf[T] = t
    shown[1, 0] = dx
    shown[1, 1] = dy
    shown[2, 0] = buf[NUM_OLD]
    shown[2, 1] = t
    gtd = gx * dx + gy * dy
    if gtd > -hyper.tolerance_change:  # directional derivative below tolerance
        buf[IDLE] = SLOPE_IDLE
        return x, y, state, 0
    if hyper.line_search >= 0.5:
        t, ls_func_evals = strong_wolfe(
            evaluate, ctx, x, y, dx, dy, t, f, gtd, int(hyper.max_eval) - current_evals, trail
        )
        buf[T] = t
        shown[2, 1] = t
        buf[FUNC_EVALS] += ls_func_evals
        shown[0, 0] = 1.0 + ls_func_evals
        shown[0, 1] = buf[FUNC_EVALS]
    return x + t * dx, y + t * dy, state, 0


# The work budget (``Rule.work``, ``app.serving.budget``): what a step adds to ``step_ns`` at most
# (CPU time measured by ``python -m bench.budget``, 14 and 167 ns on the 2-core machine, rounded up).
PAIR_NS = 20  # one remembered (s, y) pair: the two-loop recursion's two passes and the history's shift
EVAL_NS = 300  # one more evaluation of the line search: its cubic step and bookkeeping (beyond the surface)


def work(hyper, steps):
    """The most one step costs: the two-loop recursion reads up to min(history_size, steps) pairs, and
    with the line search a step evaluates L and ∇L up to 1 + max_eval times (its own, then the search's
    first trial and up to max_eval − 1 more), without it once."""
    pairs = min(float(hyper["history_size"]), float(steps))
    evaluations = 1 + int(hyper["max_eval"]) if hyper["line_search"] >= 0.5 else 1
    return PAIR_NS * pairs + EVAL_NS * (evaluations - 1), evaluations


def still(state):
    """Whether the last step returned without moving, so that every later step with the same closure
    (no gradient noise) returns without moving too: the engine may stop stepping such a start."""
    return state[1][IDLE] != 0.0


RULE = Rule(
    name="lbfgs",
    label="L-BFGS",
    color="#E69F00",
    dash="dashdot",
    torch="LBFGS(lr, max_iter=1, max_eval=max_eval, tolerance_grad=tolerance_grad, "
    "tolerance_change=tolerance_change, history_size=history_size, line_search_fn=line_search)",
    defaults=defaults("lr", "line_search", "max_eval", "history_size", "tolerance_grad", "tolerance_change", lr=1.0),
    state=State,
    init=init,
    update=update,
    slot_words={
        "evals": "function evaluations (this step, in total)",
        "direction": "search direction d = −H̃g (two-loop recursion)",
        "memory": "(s, y) pairs remembered, step length t",
    },
    step_ns=400,
    work=work,
    group="second-order",
    blurb="Builds a curvature model from its last steps; a line search may evaluate many points per step.",
    vector=True,
    evals=100,  # at most max_eval evaluation points per step
)
