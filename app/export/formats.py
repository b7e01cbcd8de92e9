"""Export a scene: CSV of every step, JSON of scene and results, and runnable NumPy and PyTorch scripts.

The scripts stand alone (numpy, plus scipy for a rough surface, plus torch for the PyTorch one, and
the authors' package of a rule torch.optim lacks):
they carry the surface's value and gradient and the rules' update functions as this project's own
source (``inspect.getsource``, so they cannot drift from the engine), the start, the
hyperparameters and the seeded noise, and reproduce the dashboard's paths to rounding error.
"""

from __future__ import annotations

import ast
import inspect
import math
import textwrap

import numpy as np
import orjson

import optimizers
from analysis.events import events_of
from analysis.outcomes import Outcome, exact_loss, surface_of
from app.export import data_scripts
from app.state.link import scene_to_query
from app.state.scene import CUSTOM, DATA, Scene
from landscapes import functions as surface_functions
from landscapes.formula import formula_source
from landscapes.noise import GRID
from optimizers.rule import HYPER_NAMES, Rule
from optimizers.schedules import KINDS as SCHEDULE_KINDS
from optimizers.schedules import Schedule, multipliers

MAX_ROWS = 100_000  # steps × optimizers in one CSV or JSON file; longer scenes keep every k-th step


def kept_steps(outcomes: dict[str, Outcome]) -> tuple[int, dict[str, np.ndarray]]:
    """(k, the steps each optimizer's rows keep): every step, or every k-th (and the last) so that the
    file has at most ``MAX_ROWS`` rows. k > 1 is said in the file."""
    total = sum(o.points for o in outcomes.values())
    k = 1 if total <= MAX_ROWS else math.ceil(total / (MAX_ROWS - 2 * len(outcomes)))  # each keeps its last too
    return k, {rule: np.unique(np.r_[np.arange(0, o.points, k), o.points - 1]) for rule, o in outcomes.items()}


def _every(k: int) -> str:
    return f"every {k}{'nd' if k == 2 else 'rd' if k == 3 else 'th'} step (at most {MAX_ROWS:,} rows a file)"


def to_csv(outcomes: dict[str, Outcome], surface=None) -> str:
    """step, optimizer, x, y, loss, grad_x, grad_y: one row per step and optimizer (the gradient the
    rule used at that point, noise included; empty on the last point, and wherever a number is not
    finite). Over ``MAX_ROWS`` rows, every k-th step, said in a first ``#`` line. The numbers are
    written by orjson (shortest exact form): 100,000 rows in a few hundredths of a second. ``surface``:
    a data landscape's full-data loss at the rows its thinned run did not take (``exact_loss``)."""
    k, kept = kept_steps(outcomes)
    lines = [f"# {_every(k)}"] if k > 1 else []
    lines.append("step,optimizer,x,y,loss,grad_x,grad_y")
    for rule, o in outcomes.items():
        r, n, idx = o.result, o.points, kept[rule]
        table = np.full((n, 5), np.nan)
        table[:, :2] = r.path[:n]
        table[:, 2] = r.loss[:n]
        if surface is not None:
            table[idx, 2] = exact_loss(r, surface, idx)
        used = min(n, r.grads.shape[0])
        table[:used, 3:] = r.grads[:used]
        rows = orjson.dumps(table[idx], option=orjson.OPT_SERIALIZE_NUMPY).decode()[2:-2].replace("null", "")
        lines += [f"{step},{rule},{row}" for step, row in zip(idx.tolist(), rows.split("],["), strict=True)]
    return "\n".join(lines) + "\n"


def to_json(scene: Scene, outcomes: dict[str, Outcome], surface) -> str:
    """The scene (its link included) and, per optimizer, settings, result, events and the whole path
    (over ``MAX_ROWS`` points in all, every k-th step: ``kept`` says so and ``step`` lists them)."""
    k, kept = kept_steps(outcomes)
    results = {}
    for rule, o in outcomes.items():
        idx = kept[rule]
        results[rule] = {
            "label": optimizers.RULES[rule].label,
            "hyperparameters": scene.hyper_of(rule),
            "status": o.status,
            "final_loss": o.final_loss if np.isfinite(o.final_loss) else None,
            "nearest_minimum": o.nearest_minimum,
            "distance_to_nearest_minimum": o.distance,
            "converged_at": o.converged_at,
            "diverged_at": o.result.diverged_at,
            "left_view_at": o.left_view_at,
            "events": [{"kind": e.kind, "step": e.step, "text": e.text} for e in events_of(o, surface)],
            "path": np.ascontiguousarray(o.result.path[idx]),  # orjson writes arrays itself, fast
            "loss": np.ascontiguousarray(exact_loss(o.result, surface, idx)),
        }
        if k > 1:
            results[rule]["step"] = idx
    doc = {
        "link": scene_to_query(scene),
        "scene": {
            "surface": scene.surface,
            "start": list(scene.start_point()),
            "steps": scene.steps,
            "roughness": scene.roughness,
            "gradient_noise": scene.grad_noise,
            "seed": scene.seed,
            "optimizers": list(scene.rules),
        },
        "results": results,
    }
    if k > 1:
        doc["kept"] = _every(k) + "; 'step' lists the steps of 'path' and 'loss'"
    # orjson: a 20 MB document in a tenth of a second; non-finite numbers (a diverged point) become null
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY).decode()


# --- scripts ---------------------------------------------------------------------------------


def _source(fn, rename: dict[str, str] | None = None) -> str:
    """A function's source without decorators, optionally renamed (``def old`` -> ``def new``)."""
    lines = textwrap.dedent(inspect.getsource(fn)).splitlines()
    lines = [ln for ln in lines if not ln.startswith("@")]
    text = "\n".join(lines) + "\n"
    for old, new in (rename or {}).items():
        text = text.replace(f"def {old}(", f"def {new}(")
    return text


def _surface_source(name: str) -> str:
    """The value, the gradient, the Hessian and the helpers they call, from ``landscapes.functions``."""
    value = getattr(surface_functions, name)
    grad = getattr(surface_functions, f"{name}_grad")
    hess = getattr(surface_functions, f"{name}_hess")
    helpers = []
    for fn in (value, grad, hess):
        for used in fn.__code__.co_names:
            helper = getattr(surface_functions, used, None)
            if inspect.isfunction(helper) and helper not in helpers:
                helpers.append(helper)
    return "\n\n".join(_source(f) for f in [*helpers, value, grad, hess])


def _constants(module, *fns) -> list[str]:
    """Module-level numbers the functions read (e.g. NAdam's MOMENTUM_DECAY), as assignments."""
    names = sorted({n for fn in fns for n in fn.__code__.co_names})
    values = {n: getattr(module, n) for n in names if isinstance(getattr(module, n, None), (int, float))}
    return [f"{n} = {v!r}\n" for n, v in values.items() if not isinstance(v, bool)]


def _helpers(fn, found: dict[str, tuple]) -> dict[str, str]:
    """The functions of ``optimizers/`` that ``fn`` calls beyond other rules (``select``, ``lerp``,
    ``schedulefree.weights``), recursively, into ``found`` as {script name: (function, its module)};
    returns the renames its source needs (``schedulefree.weights(`` -> ``schedulefree_weights(``)."""
    renames = {}
    for alias in fn.__code__.co_names:
        obj = fn.__globals__.get(alias)
        if inspect.ismodule(obj) and obj.__name__.startswith("optimizers.") and not hasattr(obj, "RULE"):
            pairs = [(f"{alias}_{a}", getattr(obj, a)) for a in fn.__code__.co_names if hasattr(obj, a)]
            for name, sub in pairs:
                if inspect.isfunction(sub):
                    renames[f"{alias}.{sub.__name__}("] = f"{name}("
                    _add_helper(name, sub, found)
        elif inspect.isfunction(obj) and obj.__module__.startswith("optimizers.") and not _of_a_rule(obj):
            _add_helper(alias, obj, found)
    return renames


def _of_a_rule(fn) -> bool:
    """Whether ``fn`` is some rule's ``init``, ``update`` or one of its update's parts (``OWN_PARTS``):
    those come as ``<rule>_init``, ``<rule>_update``, ``<rule>_t_factors``, ``<rule>_update_with``."""
    return fn.__name__ in OWN_PARTS or any(fn is r.init or fn is r.update for r in optimizers.RULES.values())


# A rule's update may be written on parts of its module (``optimizers.rule``: the factors depending on the
# step count only, and the update given them); the script brings them along under the rule's name.
OWN_PARTS = ("t_factors", "update_with")


def _own_parts(r) -> list[tuple[str, object]]:
    """(name, function) of the ``OWN_PARTS`` that rule ``r``'s update calls."""
    module = inspect.getmodule(r.update)
    return [(n, getattr(module, n)) for n in OWN_PARTS if n in r.update.__code__.co_names and hasattr(module, n)]


def _add_helper(name: str, fn, found: dict[str, tuple]) -> None:
    if name not in found:
        found[name] = (fn, {})  # before the callees: a function calling itself ends here
        found[name] = (fn, _helpers(fn, found))


def _helpers_source(rules) -> str:
    """The shared helpers the rules of ``rules`` call, once each."""
    found: dict[str, tuple] = {}
    for rule in rules:
        r = optimizers.RULES[rule]
        for fn in (r.init, r.update, *(fn for _, fn in _own_parts(r))):
            _helpers(fn, found)
    parts = []
    for name, (fn, renames) in found.items():
        text = _source(fn, {fn.__name__: name})
        for old, new in renames.items():
            text = text.replace(old, new)
        parts += [*_constants(inspect.getmodule(fn), fn), text]
    return "\n\n".join(parts)


def _called_helpers(fns, seen: list) -> list:
    """The plain functions ``fns`` call by name (from their own modules), depth first, each once."""
    for fn in fns:
        for name in fn.__code__.co_names:
            helper = fn.__globals__.get(name)
            helper = getattr(helper, "py_func", helper)  # numba's register_jitable keeps the function
            if inspect.isfunction(helper) and helper not in seen and helper.__module__.startswith("optimizers"):
                seen.append(helper)
                _called_helpers([helper], seen)
    return seen


def _vector_rule_source(rule: str) -> str:
    """A vector rule's ``<rule>_init``/``<rule>_update``, the helpers they call (L-BFGS's line search)
    and the module-level numbers they all read."""
    r = optimizers.RULES[rule]
    helpers = [h for h in _called_helpers([r.init, r.update], []) if h not in (r.init, r.update)]
    numbers = []
    for fn in (r.init, r.update, *helpers):
        numbers += [c for c in _constants(inspect.getmodule(fn), fn) if c not in numbers]
    parts = [*numbers, *(_source(h) for h in helpers), _source(r.init, {"init": f"{rule}_init"})]
    return "\n\n".join([*parts, _source(r.update, {"update": f"{rule}_update"})])


def _rule_source(rule: str) -> str:
    """``<rule>_init`` and ``<rule>_update`` with the module-level numbers they read. An update that
    calls another rule module's (AdamW's calls ``adam.update``) brings it along as ``<other>_update``;
    the helpers they call come from ``_helpers_source``."""
    r = optimizers.RULES[rule]
    if r.vector:
        return _vector_rule_source(rule)
    module = inspect.getmodule(r.update)
    called = [(alias, getattr(module, alias, None)) for alias in r.update.__code__.co_names]
    called = [(alias, m) for alias, m in called if inspect.ismodule(m) and isinstance(getattr(m, "RULE", None), Rule)]
    parts = [*_constants(module, r.init, r.update), _source(r.init, {"init": f"{rule}_init"})]
    update = _source(r.update, {"update": f"{rule}_update"})
    for old, new in _helpers(r.update, {}).items():
        update = update.replace(old, new)
    for alias, other in called:
        name = other.RULE.name
        own, text = _with_own_parts(other.RULE, _source(other.RULE.update, {"update": f"{name}_update"}))
        parts += [*_constants(other, other.RULE.update), *own, text]
        update = update.replace(f"{alias}.update(", f"{name}_update(")
    own, update = _with_own_parts(r, update)
    return "\n\n".join([*parts, *own, update])


def _with_own_parts(r, update: str) -> tuple[list[str], str]:
    """The sources of the ``OWN_PARTS`` rule ``r``'s update calls, as ``<rule>_t_factors`` and
    ``<rule>_update_with`` (with the numbers they read), and ``update``'s source calling them so."""
    parts = []
    for part, fn in _own_parts(r):
        text = _source(fn, {fn.__name__: f"{r.name}_{part}"})
        for old, new in _helpers(fn, {}).items():
            text = text.replace(old, new)
        parts += [*_constants(inspect.getmodule(fn), fn), text]
        update = update.replace(f" {part}(", f" {r.name}_{part}(").replace(f"({part}(", f"({r.name}_{part}(")
    return parts, update


def _torch_constructor(rule: str, hyper: dict[str, float]) -> str:
    """``RULE.torch`` (e.g. ``Adam(lr, betas=(beta1, beta2), eps=eps)``) with the values filled in."""
    call = ast.parse(optimizers.RULES[rule].torch, mode="eval").body

    class Fill(ast.NodeTransformer):
        def visit_Name(self, node):  # a hyperparameter's name becomes its value
            if node.id in _TORCH_VALUES and node.id in hyper:  # L-BFGS's counts and its line-search choice
                return ast.Constant(_TORCH_VALUES[node.id](hyper[node.id]))
            return ast.Constant(hyper[node.id]) if node.id in hyper else node

    keywords = [ast.keyword(arg=a.id, value=a) for a in call.args] + call.keywords  # lr is positional there
    filled = Fill().visit(ast.Call(func=call.func, args=[ast.Name("params")], keywords=keywords))
    own = isinstance(call.func, ast.Name) and call.func.id in SCRIPT_OPTIMIZERS
    return ("" if _package(rule) or own else "torch.optim.") + ast.unparse(filled)


def _package(rule: str) -> str | None:
    """The authors' package a rule torch.optim lacks comes from (``lion_pytorch.Lion(...)``), or None."""
    func = ast.unparse(ast.parse(optimizers.RULES[rule].torch, mode="eval").body.func)
    return func.split(".")[0] if "." in func else None


# torch.optim takes these as whole numbers and a name; the engine's hyperparameters are floats.
_TORCH_VALUES = {
    "max_eval": int,
    "history_size": int,
    "line_search": lambda v: "strong_wolfe" if v >= 0.5 else None,
}
SCRIPT_OPTIMIZERS = {"Newton"}  # not in torch.optim: the PyTorch script defines it (``_TORCH_NEWTON``)


def _torch_scheduler(s: Schedule, steps: int) -> str:
    """The ``torch.optim.lr_scheduler`` call that gives ``optimizers.schedules.multipliers(s)``."""
    lr = "opt.param_groups[0]['lr']"
    calls = {
        "step": f"StepLR(opt, step_size={int(s.a)}, gamma={s.b!r})",
        "exponential": f"ExponentialLR(opt, gamma={s.b!r})",
        "cosine": f"CosineAnnealingLR(opt, T_max={int(s.a) or steps}, eta_min={s.b!r} * {lr})",
        "warmup": f"LinearLR(opt, start_factor={s.b!r}, end_factor=1.0, total_iters={int(s.a)})",
    }
    return "torch.optim.lr_scheduler." + calls[s.kind]


_TORCH_NEWTON = '''

class Newton(torch.optim.Optimizer):
    """Newton's method, not in torch.optim: θ ← θ − lr·Q diag(1/μ) Qᵀ g with H = Q diag(λ) Qᵀ the
    exact Hessian (torch.linalg.eigh), μ = λ + δ, or |λ| + δ when saddle-free; it stops where some
    |μ| ≤ 1e-12·max(1, |μ|) (H + δI singular)."""

    def __init__(self, params, lr=1.0, damping=0.0, saddle_free=0.0):
        super().__init__(params, {"lr": lr, "damping": damping, "saddle_free": saddle_free})
        self.stopped = False

    @torch.no_grad()
    def step(self, closure):
        with torch.enable_grad():
            closure()
        group = self.param_groups[0]
        p = group["params"][0]
        hxx, hxy, hyy = hessian(None, float(p[0]), float(p[1]))
        lam, q = torch.linalg.eigh(torch.tensor([[hxx, hxy], [hxy, hyy]], dtype=torch.float64))
        mu = (lam.abs() if group["saddle_free"] >= 0.5 else lam) + group["damping"]
        if not bool((mu.abs() > 1e-12 * max(1.0, float(mu.abs().max()))).all()):
            self.stopped = True
            return
        p.sub_(group["lr"] * (q @ ((q.T @ p.grad) / mu)))
'''


def _header(scene: Scene, needs: str) -> str:
    return f'''"""Reproduces the gradient-descent playground's scene {scene_to_query(scene)}

Surface: {scene.clean_surface().label}; start {scene.start_point()}; {scene.steps} steps;
roughness {scene.roughness:g}, gradient noise {scene.grad_noise:g}, seed {scene.seed}.
Needs {needs}. Run it: python this_file.py
"""
'''


_ROUGH = """

# The rough layer: roughness x a seeded uniform field on a {grid}x{grid} grid, as a bicubic spline,
# held flat (no gradient) outside the domain.
from scipy.interpolate import RectBivariateSpline

(X0, X1), (Y0, Y1) = DOMAIN
_FIELD = RectBivariateSpline(
    np.linspace(X0, X1, {grid}), np.linspace(Y0, Y1, {grid}),
    np.random.default_rng(SEED).random(({grid}, {grid})), kx=3, ky=3, s=0,
)


def loss(x, y):
    return clean_loss(x, y) + ROUGHNESS * float(_FIELD.ev(min(max(x, X0), X1), min(max(y, Y0), Y1)))


def gradient(x, y):
    gx, gy = clean_gradient(x, y)
    cx, cy = min(max(x, X0), X1), min(max(y, Y0), Y1)
    if X0 <= x <= X1:
        gx += ROUGHNESS * float(_FIELD.ev(cx, cy, dx=1, dy=0))
    if Y0 <= y <= Y1:
        gy += ROUGHNESS * float(_FIELD.ev(cx, cy, dx=0, dy=1))
    return gx, gy


def hessian(ctx, x, y):
    # (Lxx, Lxy, Lyy): the clean surface's plus the layer's (none along an axis outside the domain)
    hxx, hxy, hyy = clean_hessian(x, y)
    cx, cy = min(max(x, X0), X1), min(max(y, Y0), Y1)
    inside_x, inside_y = X0 <= x <= X1, Y0 <= y <= Y1
    hxx += ROUGHNESS * float(_FIELD.ev(cx, cy, dx=2, dy=0)) if inside_x else 0.0
    hxy += ROUGHNESS * float(_FIELD.ev(cx, cy, dx=1, dy=1)) if inside_x and inside_y else 0.0
    hyy += ROUGHNESS * float(_FIELD.ev(cx, cy, dx=0, dy=2)) if inside_y else 0.0
    return hxx, hxy, hyy
"""

_CLEAN = """

def loss(x, y):
    return clean_loss(x, y)


def gradient(x, y):
    return clean_gradient(x, y)


def hessian(ctx, x, y):
    return clean_hessian(x, y)
"""

_NOISE = '''

def gradient_noise():
    """The engine's seeded noise for one start: stream 0 of SeedSequence(SEED), N(0, sigma^2)."""
    if GRAD_NOISE == 0.0:
        return np.zeros((STEPS, 2))
    stream = np.random.SeedSequence(SEED).spawn(1)[0]
    return GRAD_NOISE * np.random.default_rng(stream).standard_normal((STEPS, 2))
'''


def _common(scene: Scene, surface) -> str:
    name = scene.surface
    body = [
        "import numpy as np\n",
        f"SURFACE = {name!r}",
        f"DOMAIN = {surface.domain!r}",
        f"START = {tuple(float(v) for v in scene.start_point())!r}",
        f"STEPS = {scene.steps}",
        f"ROUGHNESS = {float(scene.roughness)!r}",
        f"GRAD_NOISE = {float(scene.grad_noise)!r}",
        f"SEED = {scene.seed}",
        f"BOUND = {optimizers.DEFAULT_BOUND!r}  # a run stops when a coordinate leaves +-BOUND or is not finite",
        "\n\n# --- the surface (this project's own source) ---\n",
        formula_source(scene.formula)
        if name == CUSTOM
        else _surface_source(name)
        .replace(f"def {name}(", "def clean_loss(")
        .replace(f"def {name}_grad(", "def clean_gradient(")
        .replace(f"def {name}_hess(", "def clean_hessian("),
        (_ROUGH.format(grid=GRID) if scene.roughness else _CLEAN),
        _NOISE,
    ]
    return "\n".join(body)


def numpy_script(scene: Scene) -> str:
    """A standalone NumPy script that reproduces the scene's paths (``paths[rule]``, shape (k, 2))."""
    if scene.surface == DATA:  # loss from data: the data, the model and the same batches
        return data_scripts.numpy_data_script(scene)
    surface = surface_of(scene)
    rules = "\n\n".join([_helpers_source(scene.rules), *(_rule_source(r) for r in scene.rules)]).lstrip()
    hyper = {r: {k: scene.hyper_of(r).get(k, 0.0) for k in HYPER_NAMES} for r in scene.rules}
    schedules = {r: (s.kind, float(s.a), float(s.b)) for r, s in scene.schedules.items() if r in scene.rules}
    return (
        _header(scene, "numpy" + (" and scipy" if scene.roughness else ""))
        + "\nimport math\nfrom collections import namedtuple\n\n"
        + _common(scene, surface)
        + "\n\n# --- the update rules (torch.optim's algorithms, this project's own source) ---\n\n"
        + f"Hyper = namedtuple('Hyper', {list(HYPER_NAMES)!r})\n\n"
        + rules
        + f"\n\nHYPER = {hyper!r}\n"
        + f"VECTOR = {sorted(r for r in scene.rules if optimizers.RULES[r].vector)!r}  # not coordinate-wise\n"
        + "\n\n# --- learning-rate schedules (torch.optim.lr_scheduler's, stepped once per update) ---\n\n"
        + f"Schedule = namedtuple('Schedule', ['kind', 'a', 'b'])\nKINDS = {tuple(SCHEDULE_KINDS)!r}\n\n"
        + _source(multipliers)
        + f"\n\nSCHEDULES = {{r: Schedule(*s) for r, s in {schedules!r}.items()}}  # others: constant\n"
        + '''

def run(init, update, hyper, schedule=None):
    """The path theta_0 .. theta_k; stops at the first point that is not finite or beyond BOUND."""
    params = np.array(START, dtype=float)
    state = init(params)
    noise = gradient_noise()
    factor = multipliers(schedule, STEPS) if schedule else np.ones(STEPS)
    path = [params]
    for k in range(STEPS):
        gx, gy = gradient(float(params[0]), float(params[1]))
        grad = np.array([gx, gy]) + noise[k]
        params, state = update(grad, state, params, hyper._replace(lr=hyper.lr * factor[k]))
        path.append(params)
        if not np.all(np.abs(params) <= BOUND):
            break
    return np.array(path)


def run_vector(init, update, hyper, schedule=None):
    """A vector rule (Newton, L-BFGS, Adafactor): its update sees the point, the step's closure and
    the Hessian; with gradient noise n_k the step's loss is L + n_k·θ."""
    x, y = (float(v) for v in START)
    state = init(x, y, hyper)
    noise = gradient_noise()
    factor = multipliers(schedule, STEPS) if schedule else np.ones(STEPS)
    path = [(x, y)]
    for k in range(STEPS):
        nx, ny = float(noise[k, 0]), float(noise[k, 1])

        def evaluate(ctx, px, py, nx=nx, ny=ny):
            gx, gy = gradient(px, py)
            return float(loss(np.float64(px), np.float64(py))) + (nx * px + ny * py), gx + nx, gy + ny

        f, gx, gy = evaluate(None, x, y)
        hk = hyper._replace(lr=hyper.lr * factor[k])
        x, y, state, code = update(f, gx, gy, state, x, y, hk, evaluate, hessian, None, np.empty((0, 2)))
        path.append((x, y))
        if code:  # the rule stopped (Newton: H + δI singular): the point stays there
            path += [(x, y)] * (STEPS - k - 1)
            break
        if not (abs(x) <= BOUND and abs(y) <= BOUND):
            break
    return np.array(path, dtype=float)


paths = {
    rule: (run_vector if rule in VECTOR else run)(
        globals()[rule + "_init"], globals()[rule + "_update"], Hyper(**h), SCHEDULES.get(rule)
    )
    for rule, h in HYPER.items()
}

if __name__ == "__main__":
    for rule, path in paths.items():
        x, y = path[-1]
        print(f"{rule:10s} {len(path) - 1:6d} steps  end ({x:.6g}, {y:.6g})  loss {loss(x, y):.6g}")
'''
    )


def torch_script(scene: Scene) -> str:
    """A standalone script driving ``torch.optim`` (float64) with the surface's exact gradient; a rule
    torch.optim lacks runs its authors' package (Lion: lion-pytorch, schedule-free, ADOPT)."""
    if scene.surface == DATA:
        return data_scripts.torch_data_script(scene)
    surface = surface_of(scene)
    constructors = [_torch_constructor(r, scene.hyper_of(r)) for r in scene.rules]
    makers = "\n".join(f"    {r!r}: lambda params: {m}," for r, m in zip(scene.rules, constructors, strict=True))
    scheds = {r: s for r, s in scene.schedules.items() if r in scene.rules}
    schedulers = "\n".join(f"    {r!r}: lambda opt: {_torch_scheduler(s, scene.steps)}," for r, s in scheds.items())
    packages = sorted({p for p in map(_package, scene.rules) if p})
    needs = ", ".join(["numpy", "torch", *(p.replace("_", "-") for p in packages)])
    return (
        _header(scene, needs + (" and scipy" if scene.roughness else ""))
        + "\nimport torch\n"
        + "".join(f"import {p}  # the authors' package: torch.optim has no such optimizer\n" for p in packages)
        + "\ntorch.set_default_dtype(torch.float64)  # float64 throughout (ASGD keeps eta and mu in this dtype)\n"
        + _common(scene, surface)
        + (_TORCH_NEWTON if any(m.startswith("Newton(") for m in constructors) else "")
        + f"\n\nOPTIMIZERS = {{\n{makers}\n}}\n"
        + "# torch.optim.lr_scheduler, stepped after each update (the others keep a constant learning rate)\n"
        + f"SCHEDULERS = {{\n{schedulers}\n}}\n"
        + '''

def run(make, make_scheduler=None):
    """torch.optim's own step, fed the exact gradient (plus the seeded noise) at each point."""
    params = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = make([params])
    if hasattr(opt, "train"):  # schedule-free: train mode, where the parameter is y (the gradient's point)
        opt.train()
    scheduler = make_scheduler(opt) if make_scheduler else None
    noise = gradient_noise()
    path = [params.detach().numpy().copy()]
    for k in range(STEPS):
        nx, ny = float(noise[k, 0]), float(noise[k, 1])

        def closure(nx=nx, ny=ny):
            """The loss L + n_k·θ and, in params.grad, its gradient (the exact one plus the noise)."""
            x, y = (float(v) for v in params.detach())
            gx, gy = gradient(x, y)
            params.grad = torch.tensor([gx + nx, gy + ny], dtype=torch.float64)
            with np.errstate(all="ignore"):
                value = float(loss(np.float64(x), np.float64(y))) + (nx * x + ny * y)
            return torch.tensor(value, dtype=torch.float64)

        opt.step(closure)  # L-BFGS calls it as often as its line search needs; the others once
        if scheduler is not None:
            scheduler.step()
        path.append(params.detach().numpy().copy())
        if getattr(opt, "stopped", False):  # Newton where H + δI is singular: the point stays there
            path += [path[-1]] * (STEPS - k - 1)
            break
        if not np.all(np.abs(path[-1]) <= BOUND):
            break
    return np.array(path)


paths = {rule: run(make, SCHEDULERS.get(rule)) for rule, make in OPTIMIZERS.items()}

if __name__ == "__main__":
    for rule, path in paths.items():
        x, y = path[-1]
        print(f"{rule:10s} {len(path) - 1:6d} steps  end ({x:.6g}, {y:.6g})  loss {loss(x, y):.6g}")
'''
    )
