"""Inside a run at step k: the optimizer's state in numbers and words, and arrows for the contour map.

Pure functions of an ``Outcome`` (whose ``result.state`` the engine records at every step); no Dash.
At step k the point is theta_k; the rule's state is its state after k updates; the step being
inspected is the next one, theta_k -> theta_{k+1}, taken with the gradient g_k (noise included):

- effective learning rate per coordinate: -(theta_{k+1} - theta_k) / g_k (plain SGD: lr itself);
- what the rule derives from its state (its ``derived`` hook: for the Adam family the bias-corrected
  moments m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t), AMSGrad's from v_max);
- arrows from theta_k: -lr * grad L (true gradient), -lr * g_k (the noisy gradient used, when there is
  noise), and the step taken, plus the rule's own (its ``arrows`` hook: Nesterov's look-ahead
  theta_k - lr * rho * v_k, AdamW's weight-decay pull -lr * weight_decay * theta_k). All to one
  scale, so their lengths compare.
"""

from __future__ import annotations

import numpy as np

import optimizers
from analysis.numbers import fmt, pair, whole
from analysis.outcomes import Outcome, exact_loss
from analysis.statistics import DRAWABLE
from i18n import N_, _
from i18n import gettext as translate  # messages marked elsewhere (N_)

ARROW_COLORS = {"true": "#000000", "noisy": "#D55E00", "step": "#0072B2", "lookahead": "#009E73", "decay": "#CC79A7"}
OTHER_COLOR = "#999999"  # an arrow kind a registered rule adds
ARROW_SPAN = 0.15  # the longest arrow is drawn this long, as a fraction of the domain's span


def _floats(hyper: dict) -> dict[str, float]:
    return {name: float(value) for name, value in hyper.items()}


def state_at(o: Outcome, k: int, surface=None) -> dict:
    """The rule's numbers at step k (clamped to the run): point, gradient, state, derived values
    (``surface``: to compute a loss a data landscape's thinned run did not take, ``exact_loss``)."""
    r = o.result
    k = max(0, min(int(k), o.points - 1))
    point = r.path[k]
    loss = r.loss[k] if surface is None else exact_loss(r, surface, np.array([k]))[0]
    rows: list[tuple[str, str]] = [(_("point θ"), pair(point)), (_("loss"), fmt(loss))]
    g = r.grads[k] if k < r.grads.shape[0] else None
    if g is not None and np.isfinite(g).all():
        rows.append((_("gradient used g (noise included)"), pair(g)))
    state = {name: values[k] for name, values in r.state.items()}
    words = optimizers.RULES[o.rule].slot_words  # the rule's own words for its state
    for name, value in state.items():
        if not np.isfinite(value).all():  # nothing yet (Newton before its first step)
            continue
        text = whole(value[0]) if name == "step" else pair(value)
        rows.append((_(words[name]) if name in words else name, text))
    derived = optimizers.RULES[o.rule].derived  # the rule's own (Adam's bias-corrected moments)
    if derived is not None and state:
        rows += [(_(text), pair(value)) for text, value in derived(state, _floats(r.hyper))]
    nxt = k + 1
    if g is not None and nxt < r.path.shape[0] and np.isfinite(r.path[nxt]).all():
        moved = r.path[nxt] - point
        with np.errstate(divide="ignore", invalid="ignore"):
            eff = np.where(g != 0, -moved / g, np.nan)
        rows.append((_("next step taken θₖ₊₁ − θₖ"), pair(moved)))
        rows.append((_("effective learning rate −Δθ / g"), pair(eff)))
    return {"rule": o.rule, "label": optimizers.RULES[o.rule].label, "step": k, "rows": rows}


SHORT = {"true": "∇L", "noisy": "g", "step": N_("step"), "lookahead": N_("look-ahead"), "decay": N_("decay")}


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
        "hovertext": _("{text}: length {length} (drawn ×{scale})").format(
            text=text, length=fmt(np.hypot(*vec)), scale=fmt(scale)
        ),
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
    data = getattr(surface, "problem", None) is not None  # a data landscape: the batch's gradient vs all data's
    vectors = [(-lr * true, "true", _("−lr·∇L (full-data gradient)") if data else _("−lr·∇L (true gradient)"))]
    if grad_noise > 0 or data:
        used = _("−lr·g (this step's batch gradient, used)") if data else _("−lr·g (noisy gradient used)")
        vectors.append((-lr * r.grads[k], "noisy", used))
    if k + 1 < r.path.shape[0] and np.isfinite(r.path[k + 1]).all():
        vectors.append((r.path[k + 1] - point, "step", _("step taken")))
    extra = optimizers.RULES[o.rule].arrows  # the rule's own (Nesterov's look-ahead, AdamW's decay pull)
    if extra is not None and r.state:
        vectors += extra(point, {name: values[k] for name, values in r.state.items()}, _floats(r.hyper))
    vectors = [(np.asarray(v, float), c, t) for v, c, t in vectors if 0 < np.hypot(*v) < np.inf]
    if not vectors:
        return [], 1.0
    longest = max(float(np.hypot(*v)) for v, _, _ in vectors)
    scale = ARROW_SPAN * surface.span() / longest
    drawn = [(v, ARROW_COLORS.get(c, OTHER_COLOR), t, translate(SHORT.get(c, c))) for v, c, t in vectors]
    return [_annotation(point, v, color, t, scale, short) for v, color, t, short in drawn], scale


def inspect_rule(rules: tuple[str, ...], wanted: str) -> str | None:
    """The optimizer whose arrows are shown: ``wanted`` if enabled, else the first enabled one."""
    if wanted in rules:
        return wanted
    return rules[0] if rules else None
