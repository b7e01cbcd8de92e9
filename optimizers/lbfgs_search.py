"""torch.optim.lbfgs's ``_cubic_interpolate`` and ``_strong_wolfe``, transcribed for scalars.

The line search runs along θ(t) = x + t·d. Only what ``LBFGS(max_iter=1)`` uses of its result is
kept: the step length t and the number of evaluations (the loss and gradient it returns feed only
the checks of a second inner iteration, which max_iter=1 never makes). Every trial point is written
into ``trail[1 + j]`` (``trail[0]`` is the step's start, written by the caller).
"""

from __future__ import annotations

import math

from numba.extending import register_jitable


@register_jitable
def cubic_interpolate(x1, f1, g1, x2, f2, g2, lo, hi, bounded):
    """The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to [lo, hi] when
    ``bounded``, else to the interval between x1 and x2 (torch's ``_cubic_interpolate``)."""
    if bounded:
        xmin_bound, xmax_bound = lo, hi
    elif x1 <= x2:
        xmin_bound, xmax_bound = x1, x2
    else:
        xmin_bound, xmax_bound = x2, x1
    d1 = g1 + g2 - 3.0 * (f1 - f2) / (x1 - x2)
    d2_square = d1 * d1 - g1 * g2
    if d2_square >= 0:
        d2 = math.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2.0 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2.0 * d2))
        return min(max(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


@register_jitable
def _record(trail, j, px, py):
    """Evaluation j of the step at (px, py) = x + t·d (torch's obj_func point)."""
    if j < trail.shape[0]:
        trail[j, 0] = px
        trail[j, 1] = py


@register_jitable(inline="always")  # inlined: a compiled function passed on as an argument defeats the disk cache
def strong_wolfe(evaluate, ctx, x, y, dx, dy, t, f, gtd, max_ls, trail):
    """torch's ``_strong_wolfe(obj_func, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9,
    max_ls)``: returns (t, ls_func_evals)."""
    c1 = 1e-4
    c2 = 0.9
    tolerance_change = 1e-9
    d_norm = max(abs(dx), abs(dy))
    _record(trail, 1, x + t * dx, y + t * dy)
    f_new, gx, gy = evaluate(ctx, x + t * dx, y + t * dy)
    gtd_new = gx * dx + gy * dy
    ls_func_evals = 1

    # bracket an interval containing a point satisfying the Wolfe criteria
    t_prev, f_prev, gtd_prev = 0.0, f, gtd
    done = False
    ls_iter = 0
    b0, b1, bf0, bf1, bg0, bg1 = 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
    single = False  # bracket = [t]
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            b0, b1, bf0, bf1, bg0, bg1 = t_prev, t, f_prev, f_new, gtd_prev, gtd_new
            break
        if abs(gtd_new) <= -c2 * gtd:
            b0, bf0 = t, f_new
            single = True
            done = True
            break
        if gtd_new >= 0:
            b0, b1, bf0, bf1, bg0, bg1 = t_prev, t, f_prev, f_new, gtd_prev, gtd_new
            break
        # interpolate
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10.0
        tmp = t
        t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, min_step, max_step, True)
        # next step
        t_prev = tmp
        f_prev = f_new
        gtd_prev = gtd_new
        _record(trail, 1 + ls_func_evals, x + t * dx, y + t * dy)
        f_new, gx, gy = evaluate(ctx, x + t * dx, y + t * dy)
        gtd_new = gx * dx + gy * dy
        ls_func_evals += 1
        ls_iter += 1

    # reached max number of iterations?
    if ls_iter == max_ls:
        b0, b1, bf0, bf1 = 0.0, t, f, f_new
        single = False

    # zoom phase
    insuf_progress = False
    if single:
        low_pos = 0
    else:
        low_pos = 0 if bf0 <= bf1 else 1
    high_pos = 1 - low_pos
    while not done and ls_iter < max_ls:
        if abs(b1 - b0) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(b0, bf0, bg0, b1, bf1, bg1, 0.0, 0.0, False)
        bmax = max(b0, b1)
        bmin = min(b0, b1)
        eps = 0.1 * (bmax - bmin)
        if min(bmax - t, t - bmin) < eps:
            # interpolation close to boundary
            if insuf_progress or t >= bmax or t <= bmin:
                if abs(t - bmax) < abs(t - bmin):
                    t = bmax - eps
                else:
                    t = bmin + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False

        _record(trail, 1 + ls_func_evals, x + t * dx, y + t * dy)
        f_new, gx, gy = evaluate(ctx, x + t * dx, y + t * dy)
        gtd_new = gx * dx + gy * dy
        ls_func_evals += 1
        ls_iter += 1

        f_low = bf0 if low_pos == 0 else bf1
        if f_new > (f + c1 * t * gtd) or f_new >= f_low:
            # Armijo condition not satisfied or not lower than lowest point: new high
            if high_pos == 0:
                b0, bf0, bg0 = t, f_new, gtd_new
            else:
                b1, bf1, bg1 = t, f_new, gtd_new
            low_pos = 0 if bf0 <= bf1 else 1
            high_pos = 1 - low_pos
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * ((b1 - b0) if high_pos == 1 else (b0 - b1)) >= 0:
                # old high becomes new low
                if high_pos == 0:
                    b0, bf0, bg0 = b1, bf1, bg1
                else:
                    b1, bf1, bg1 = b0, bf0, bg0
            # new point becomes new low
            if low_pos == 0:
                b0, bf0, bg0 = t, f_new, gtd_new
            else:
                b1, bf1, bg1 = t, f_new, gtd_new

    t = b0 if low_pos == 0 else b1
    return t, ls_func_evals
