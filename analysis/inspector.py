"""Inside a run at step k: the optimizer's state in numbers and words, and arrows for the contour map.

Pure functions of an ``Outcome`` (whose ``result.state`` the engine records at every step); no Dash.
At step k the point is theta_k; the rule's state is its state after k updates; the step being
inspected is the next one, theta_k -> theta_{k+1}, taken with the gradient g_k (noise included):

- effective learning rate per coordinate: -(theta_{k+1} - theta_k) / g_k (plain SGD: lr itself);
- for the Adam family, the bias-corrected moments m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t)
  (AMSGrad's denominator uses v_max in place of v);
- arrows from theta_k: -lr * grad L (true gradient), -lr * g_k (the noisy gradient used, when there is
  noise), and the step taken; Nesterov's look-ahead point theta_k - lr * rho * v_k; AdamW's decoupled
  weight-decay pull -lr * weight_decay * theta_k. All to one scale, so their lengths compare.
"""

from __future__ import annotations

import numpy as np

import optimizers
from analysis.outcomes import Outcome
from analysis.statistics import DRAWABLE

SLOT_WORDS = {
    "velocity": "velocity v: decayed running sum of gradients",
    "square_avg": "running average of squared gradients",
    "sum": "sum of squared gradients so far",
    "acc_delta": "running average of squared updates",
    "step": "update count t",
    "m": "m: running average of gradients",
    "v": "v: running average of squared gradients",
    "v_max": "largest v so far (AMSGrad's denominator)",
    "u": "u: decayed maximum of |gradient|",
    "mu_product": "product of NAdam's momentum factors μ",
}
ARROW_COLORS = {"true": "#000000", "noisy": "#D55E00", "step": "#0072B2", "lookahead": "#009E73", "decay": "#CC79A7"}
ARROW_SPAN = 0.15  # the longest arrow is drawn this long, as a fraction of the domain's span


def _pair(v) -> str:
    return f"({v[0]:.4g}, {v[1]:.4g})"


def state_at(o: Outcome, k: int) -> dict:
    """The rule's numbers at step k (clamped to the run): point, gradient, state, derived values."""
    r = o.result
    k = max(0, min(int(k), o.points - 1))
    point = r.path[k]
    rows: list[tuple[str, str]] = [("point θ", _pair(point)), ("loss", f"{r.loss[k]:.6g}")]
    g = r.grads[k] if k < r.grads.shape[0] else None
    if g is not None and np.isfinite(g).all():
        rows.append(("gradient used g (noise included)", _pair(g)))
    state = {name: values[k] for name, values in r.state.items()}
    for name, value in state.items():
        text = f"{value[0]:.0f}" if name == "step" else _pair(value)
        rows.append((SLOT_WORDS.get(name, name), text))
    t = float(state["step"][0]) if "step" in state else 0.0
    if "m" in state and t > 0:
        b1, b2 = r.hyper.get("beta1", 0.9), r.hyper.get("beta2", 0.999)
        rows.append(("bias-corrected m̂ = m / (1 − β₁ᵗ)", _pair(state["m"] / (1.0 - b1**t))))
        if "v" in state:
            v = state["v_max"] if "v_max" in state else state["v"]
            rows.append(("bias-corrected v̂ = v / (1 − β₂ᵗ)", _pair(v / (1.0 - b2**t))))
    nxt = k + 1
    if g is not None and nxt < r.path.shape[0] and np.isfinite(r.path[nxt]).all():
        moved = r.path[nxt] - point
        with np.errstate(divide="ignore", invalid="ignore"):
            eff = np.where(g != 0, -moved / g, np.nan)
        rows.append(("next step taken θₖ₊₁ − θₖ", _pair(moved)))
        rows.append(("effective learning rate −Δθ / g", _pair(eff)))
    return {"rule": o.rule, "label": optimizers.RULES[o.rule].label, "step": k, "rows": rows}


SHORT = {"true": "∇L", "noisy": "g", "step": "step", "lookahead": "look-ahead", "decay": "decay"}


def _annotation(start, vec, color: str, text: str, scale: float, short: str) -> dict:
    end = np.asarray(start) + scale * np.asarray(vec)
    return {
        "x": float(end[0]),
        "y": float(end[1]),
        "ax": float(start[0]),
        "ay": float(start[1]),
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "showarrow": True,
        "arrowhead": 2,
        "arrowsize": 1.2,
        "arrowwidth": 2,
        "arrowcolor": color,
        "text": short,
        "font": {"color": color, "size": 11},
        "bgcolor": "rgba(255,255,255,0.75)",
        "xanchor": "left",
        "yanchor": "bottom",
        "hovertext": f"{text}: length {np.hypot(*vec):.3g} (drawn ×{scale:.3g})",
        "name": text,
    }


def arrows(o: Outcome, k: int, surface, grad_noise: float) -> tuple[list[dict], float]:
    """Contour-map annotations at step k for one optimizer (see the module docstring), all drawn to
    one scale so that the longest is ``ARROW_SPAN`` of the domain; returns them and that scale."""
    r = o.result
    k = max(0, min(int(k), o.points - 1))
    if k >= r.grads.shape[0] or not np.isfinite(r.grads[k]).all():
        return [], 1.0
    point = r.path[k]
    if not (np.abs(point) <= DRAWABLE).all():  # a diverged run's last point: no arrow could be drawn there
        return [], 1.0
    lr = float(r.hyper["lr"])
    true = np.array(surface.gradient(point[0], point[1]), dtype=float)
    vectors = [(-lr * true, "true", "−lr·∇L (true gradient)")]
    if grad_noise > 0:
        vectors.append((-lr * r.grads[k], "noisy", "−lr·g (noisy gradient used)"))
    if k + 1 < r.path.shape[0] and np.isfinite(r.path[k + 1]).all():
        vectors.append((r.path[k + 1] - point, "step", "step taken"))
    if o.rule == "nesterov" and "velocity" in r.state:
        vectors.append((-lr * float(r.hyper["rho"]) * r.state["velocity"][k], "lookahead", "look-ahead θ − lr·ρ·v"))
    if o.rule == "adamw":
        vectors.append((-lr * float(r.hyper["weight_decay"]) * point, "decay", "weight-decay pull −lr·λ·θ"))
    vectors = [(np.asarray(v, float), c, t) for v, c, t in vectors if 0 < np.hypot(*v) < np.inf]
    if not vectors:
        return [], 1.0
    longest = max(float(np.hypot(*v)) for v, _, _ in vectors)
    scale = ARROW_SPAN * surface.span() / longest
    return [_annotation(point, v, ARROW_COLORS[c], t, scale, SHORT[c]) for v, c, t in vectors], scale


def inspect_rule(rules: tuple[str, ...], wanted: str) -> str | None:
    """The optimizer whose arrows are shown: ``wanted`` if enabled, else the first enabled one."""
    if wanted in rules:
        return wanted
    return rules[0] if rules else None
