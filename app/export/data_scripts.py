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
    from app.export.formats import HYPER_NAMES, SCHEDULE_KINDS, _header, _rule_source, _source, multipliers

    rules = "\n\n".join(_rule_source(r) for r in scene.rules)
    hyper = {r: {k: scene.hyper_of(r).get(k, 0.0) for k in HYPER_NAMES} for r in scene.rules}
    schedules = {r: (s.kind, float(s.a), float(s.b)) for r, s in scene.schedules.items() if r in scene.rules}
    return (
        _header(scene, "numpy")
        + "\nfrom collections import namedtuple\n"
        + _data_block(scene)
        + _NUMPY_MODEL
        + "\n\n# --- the update rules (torch.optim's algorithms, this project's own source) ---\n\n"
        + f"Hyper = namedtuple('Hyper', {list(HYPER_NAMES)!r})\n\n"
        + rules
        + f"\n\nHYPER = {hyper!r}\n"
        + f"\n\nSchedule = namedtuple('Schedule', ['kind', 'a', 'b'])\nKINDS = {tuple(SCHEDULE_KINDS)!r}\n\n"
        + _source(multipliers)
        + f"\n\nSCHEDULES = {{r: Schedule(*s) for r, s in {schedules!r}.items()}}  # others: constant\n"
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
    rule: run(globals()[rule + "_init"], globals()[rule + "_update"], Hyper(**h), SCHEDULES.get(rule))
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
    from app.export.formats import _header, _torch_constructor, _torch_scheduler

    makers = "\n".join(f"    {r!r}: lambda params: {_torch_constructor(r, scene.hyper_of(r))}," for r in scene.rules)
    scheds = {r: s for r, s in scene.schedules.items() if r in scene.rules}
    schedulers = "\n".join(f"    {r!r}: lambda opt: {_torch_scheduler(s, scene.steps)}," for r, s in scheds.items())
    return (
        _header(scene, "numpy and torch")
        + "\nimport torch\n"
        + _data_block(scene)
        + _TORCH_MODEL
        + f"\n\nOPTIMIZERS = {{\n{makers}\n}}\n"
        + f"SCHEDULERS = {{\n{schedulers}\n}}\n"
        + '''

def run(make, make_scheduler=None):
    """torch.optim's own step on autograd's gradient of each batch's objective."""
    w = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = make([w])
    scheduler = make_scheduler(opt) if make_scheduler else None
    path = [w.detach().numpy().copy()]
    for rows in batches():
        opt.zero_grad()
        objective(w, torch.as_tensor(rows)).backward()
        opt.step()
        if scheduler is not None:
            scheduler.step()
        path.append(w.detach().numpy().copy())
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
