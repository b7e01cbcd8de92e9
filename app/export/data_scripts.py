"""Standalone NumPy and PyTorch scripts for a data landscape's scene: the data, the model, λR(W), the
same shuffled batches (``numpy.random.default_rng(SEED).permutation(N)`` per epoch, as
``landscapes.data.batches``) and every optimizer, so a run is reproduced outside the playground."""

from __future__ import annotations

from app.state.scene import Scene
from landscapes.data.spec import spec_surface

_DATA = '''
import numpy as np

# linear: w1*x + w2 (MSE); logistic: sigmoid(w1*x1 + w2*x2) (cross-entropy); tanh: w2*tanh(w1*x) (MSE)
MODEL = {model!r}
START = {start!r}
STEPS = {steps}
SEED = {seed}  # the shuffling seed
B = {batch}
DROP_LAST = {drop_last!r}
REG = {reg!r}  # the regulariser lam * R(W): "none", "L2" (sum of w^2) or "L1" (sum of |w|)
LAM = {lam!r}
MASK = np.array({mask!r})  # which weights R(W) covers (linear regression: the bias w2 only if chosen)
BOUND = {bound!r}  # a run stops when a weight leaves +-BOUND or is not finite
# {source}
X = np.array({X!r})
Y = np.array({Y!r})
N = len(Y)


def batches():
    """Every step's sample indices, as DataLoader(shuffle=True): a new permutation each epoch, cut in B."""
    rng = np.random.default_rng(SEED)
    per_epoch = N // B if DROP_LAST else -(-N // B)
    out = []
    while len(out) < STEPS:
        perm = rng.permutation(N)
        out += [perm[j * B : (j + 1) * B] for j in range(per_epoch)]
    return out[:STEPS]
'''

_NUMPY_MODEL = '''

def objective(w, rows=None):
    """(loss, gradient) of the mean loss over ``rows`` (all samples: None) plus lam * R(W)."""
    x, y = (X, Y) if rows is None else (X[rows], Y[rows])
    w1, w2 = w
    if MODEL == "linear":
        r = w1 * x[:, 0] + w2 - y
        losses, g = r * r, np.stack([2 * r * x[:, 0], 2 * r], axis=1)
    elif MODEL == "logistic":
        z = w1 * x[:, 0] + w2 * x[:, 1]
        p = 1.0 / (1.0 + np.exp(-z))
        losses = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))) - y * z
        g = (p - y)[:, None] * x
    else:
        t = np.tanh(w1 * x[:, 0])
        r = w2 * t - y
        losses, g = r * r, np.stack([2 * r * w2 * (1 - t * t) * x[:, 0], 2 * r * t], axis=1)
    value, grad = losses.mean(), g.mean(axis=0)
    if REG == "L2":
        value, grad = value + LAM * np.sum(MASK * w * w), grad + 2 * LAM * MASK * w
    elif REG == "L1":
        value, grad = value + LAM * np.sum(MASK * np.abs(w)), grad + LAM * MASK * np.sign(w)
    return value, grad
'''

_TORCH_MODEL = '''

XT, YT, MASKT = torch.tensor(X), torch.tensor(Y), torch.tensor(MASK)


def objective(w, rows=None):
    """The model's loss over ``rows`` (all samples: None) plus lam * R(W), in torch (autograd's gradient)."""
    x, y = (XT, YT) if rows is None else (XT[rows], YT[rows])
    if MODEL == "linear":
        value = torch.nn.functional.mse_loss(w[0] * x[:, 0] + w[1], y)
    elif MODEL == "logistic":
        value = torch.nn.functional.binary_cross_entropy_with_logits(x @ w, y)
    else:
        value = torch.nn.functional.mse_loss(w[1] * torch.tanh(w[0] * x[:, 0]), y)
    if REG == "L2":
        value = value + LAM * torch.sum(MASKT * w * w)
    elif REG == "L1":
        value = value + LAM * torch.sum(MASKT * torch.abs(w))
    return value
'''

_NUMPY_HESSIAN = '''

def hessian_of(w, rows):
    """(Lxx, Lxy, Lyy): the exact Hessian of the mean loss over ``rows`` plus lam * R(W)."""
    x, y = X[rows], Y[rows]
    w1, w2 = w
    if MODEL == "linear":
        h = np.stack([2 * x[:, 0] ** 2, 2 * x[:, 0], 2 * np.ones(len(y))], axis=1)
    elif MODEL == "logistic":
        p = 1.0 / (1.0 + np.exp(-(w1 * x[:, 0] + w2 * x[:, 1])))
        s = p * (1 - p)
        h = np.stack([s * x[:, 0] ** 2, s * x[:, 0] * x[:, 1], s * x[:, 1] ** 2], axis=1)
    else:
        t = np.tanh(w1 * x[:, 0])
        r, u = w2 * t - y, 1 - t * t
        h11 = 2 * w2 * w2 * u * u * x[:, 0] ** 2 - 4 * r * w2 * t * u * x[:, 0] ** 2
        h = np.stack([h11, 2 * u * x[:, 0] * (r + w2 * t), 2 * t * t], axis=1)
    hxx, hxy, hyy = h.mean(axis=0)
    if REG == "L2":  # L1's second derivative is 0
        hxx, hyy = hxx + 2 * LAM * MASK[0], hyy + 2 * LAM * MASK[1]
    return float(hxx), float(hxy), float(hyy)


def run_vector(init, update, hyper, schedule=None):
    """A vector rule (Newton, L-BFGS, Adafactor): each step's closure and Hessian are its batch's
    objective at any point (as torch's opt.step(closure) over the current batch)."""
    x, y = (float(v) for v in START)
    state = init(x, y, hyper)
    factor = multipliers(schedule, STEPS) if schedule else np.ones(STEPS)
    path = [(x, y)]
    for k, rows in enumerate(batches()):

        def evaluate(ctx, px, py, rows=rows):
            value, grad = objective(np.array([px, py]), rows)
            return float(value), float(grad[0]), float(grad[1])

        def hessian(ctx, px, py, rows=rows):
            return hessian_of(np.array([px, py]), rows)

        f, gx, gy = evaluate(None, x, y)
        hk = hyper._replace(lr=hyper.lr * factor[k])
        x, y, state, code = update(f, gx, gy, state, x, y, hk, evaluate, hessian, None, np.empty((0, 2)))
        path.append((x, y))
        if code:  # the rule stopped (Newton: the batch's H + delta*I singular): the point stays there
            path += [(x, y)] * (STEPS - k - 1)
            break
        if not (abs(x) <= BOUND and abs(y) <= BOUND):
            break
    return np.array(path, dtype=float)
'''

_TORCH_BATCH_HESSIAN = '''

ROWS = None  # the current step's batch (run sets it): Newton's Hessian is that batch's objective's


def hessian(ctx, x, y):
    """The exact Hessian of the current batch's objective at (x, y), by autograd."""
    w = torch.tensor([x, y], dtype=torch.float64)
    h = torch.autograd.functional.hessian(lambda v: objective(v, ROWS), w)
    return float(h[0, 0]), float(h[0, 1]), float(h[1, 1])
'''


def _data_block(scene: Scene) -> str:
    s = spec_surface(scene.data)
    p = s.problem
    import optimizers

    return _DATA.format(
        model=p.model,
        start=tuple(float(v) for v in scene.start_point()),
        steps=scene.steps,
        seed=scene.seed,
        batch=min(p.batch, p.n),
        drop_last=p.drop_last,
        reg=("none", "L2", "L1")[p.reg_kind],
        lam=float(p.lam),
        mask=list(p.mask),
        bound=optimizers.DEFAULT_BOUND,
        source=p.source,
        X=p.X.tolist(),
        Y=p.y.tolist(),
    )


def numpy_data_script(scene: Scene) -> str:
    """The scene's runs in NumPy: ``paths[rule]`` (k, 2), each step on the recorded batch's gradient."""
    import optimizers
    from app.export.formats import (
        HYPER_NAMES,
        SCHEDULE_KINDS,
        _header,
        _helpers_source,
        _rule_source,
        _source,
        multipliers,
    )

    rules = "\n\n".join([_helpers_source(scene.rules), *(_rule_source(r) for r in scene.rules)]).lstrip()
    hyper = {r: {k: scene.hyper_of(r).get(k, 0.0) for k in HYPER_NAMES} for r in scene.rules}
    schedules = {r: (s.kind, float(s.a), float(s.b)) for r, s in scene.schedules.items() if r in scene.rules}
    return (
        _header(scene, "numpy")
        + "\nimport math\nfrom collections import namedtuple\n"
        + _data_block(scene)
        + _NUMPY_MODEL
        + "\n\n# --- the update rules (torch.optim's algorithms, this project's own source) ---\n\n"
        + f"Hyper = namedtuple('Hyper', {list(HYPER_NAMES)!r})\n\n"
        + rules
        + f"\n\nHYPER = {hyper!r}\n"
        + f"VECTOR = {sorted(r for r in scene.rules if optimizers.RULES[r].vector)!r}  # not coordinate-wise\n"
        + f"\n\nSchedule = namedtuple('Schedule', ['kind', 'a', 'b'])\nKINDS = {tuple(SCHEDULE_KINDS)!r}\n\n"
        + _source(multipliers)
        + f"\n\nSCHEDULES = {{r: Schedule(*s) for r, s in {schedules!r}.items()}}  # others: constant\n"
        + _NUMPY_HESSIAN
        + '''

def run(init, update, hyper, schedule=None):
    """theta_0 .. theta_k, each step on its batch's exact gradient; stops beyond BOUND."""
    params = np.array(START, dtype=float)
    state = init(params)
    factor = multipliers(schedule, STEPS) if schedule else np.ones(STEPS)
    path = [params]
    for k, rows in enumerate(batches()):
        _, grad = objective(params, rows)
        params, state = update(grad, state, params, hyper._replace(lr=hyper.lr * factor[k]))
        path.append(params)
        if not np.all(np.abs(params) <= BOUND):
            break
    return np.array(path)


paths = {
    rule: (run_vector if rule in VECTOR else run)(
        globals()[rule + "_init"], globals()[rule + "_update"], Hyper(**h), SCHEDULES.get(rule)
    )
    for rule, h in HYPER.items()
}

if __name__ == "__main__":
    for rule, path in paths.items():
        w = path[-1]
        print(f"{rule:10s} {len(path) - 1:6d} steps  end ({w[0]:.6g}, {w[1]:.6g})  loss {objective(w)[0]:.6g}")
'''
    )


def torch_data_script(scene: Scene) -> str:
    """The scene's runs with ``torch.optim`` (float64) on autograd's gradient of each batch's loss."""
    from app.export.formats import _TORCH_NEWTON, _header, _torch_constructor, _torch_scheduler

    constructors = [_torch_constructor(r, scene.hyper_of(r)) for r in scene.rules]
    makers = "\n".join(f"    {r!r}: lambda params: {m}," for r, m in zip(scene.rules, constructors, strict=True))
    newton = any(m.startswith("Newton(") for m in constructors)
    scheds = {r: s for r, s in scene.schedules.items() if r in scene.rules}
    schedulers = "\n".join(f"    {r!r}: lambda opt: {_torch_scheduler(s, scene.steps)}," for r, s in scheds.items())
    return (
        _header(scene, "numpy and torch")
        + "\nimport torch\n"
        + _data_block(scene)
        + _TORCH_MODEL
        + (_TORCH_BATCH_HESSIAN + _TORCH_NEWTON if newton else "")
        + f"\n\nOPTIMIZERS = {{\n{makers}\n}}\n"
        + f"SCHEDULERS = {{\n{schedulers}\n}}\n"
        + '''

def run(make, make_scheduler=None):
    """torch.optim's own step on autograd's gradient of each batch's objective; the closure evaluates
    the current batch (L-BFGS calls it as often as its line search needs, the others once)."""
    global ROWS
    w = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = make([w])
    scheduler = make_scheduler(opt) if make_scheduler else None
    path = [w.detach().numpy().copy()]
    for k, rows in enumerate(batches()):
        ROWS = torch.as_tensor(rows)

        def closure(rows=ROWS):
            opt.zero_grad()
            value = objective(w, rows)
            value.backward()
            return value

        opt.step(closure)
        if scheduler is not None:
            scheduler.step()
        path.append(w.detach().numpy().copy())
        if getattr(opt, "stopped", False):  # Newton where the batch's H + delta*I is singular: it stays there
            path += [path[-1]] * (STEPS - k - 1)
            break
        if not np.all(np.abs(path[-1]) <= BOUND):
            break
    return np.array(path)


paths = {rule: run(make, SCHEDULERS.get(rule)) for rule, make in OPTIMIZERS.items()}

if __name__ == "__main__":
    for rule, path in paths.items():
        w = path[-1]
        value = objective(torch.tensor(w)).item()
        print(f"{rule:10s} {len(path) - 1:6d} steps  end ({w[0]:.6g}, {w[1]:.6g})  loss {value:.6g}")
'''
    )
