"""Data landscapes against PyTorch (float64): every rule on every model, with and without λ, follows
``torch.optim`` driving the real ``torch.nn`` model and loss on the same batches (the recorded
indices, replayed; L-BFGS's closure re-evaluates the current batch); Newton follows a numpy reference
on autograd's batch Hessian; the Hessians equal ``torch.autograd.functional.hessian``; the shuffling
has ``DataLoader(shuffle=True)``'s structure."""

import numpy as np
import pytest

import optimizers
from landscapes.data import DataProblem, data_surface, generators, plan
from tests.reference_torch import TORCH_FACTORY, lbfgs

torch = pytest.importorskip("torch")
nn = torch.nn

N, B, STEPS = 40, 7, 45  # 6 batches a epoch, the last of 5: the remainder is exercised


def _data(model: str):
    if model == "logistic":
        return generators.classification(N, 0.9, "overlapping", seed=3)
    return generators.regression(N, 0.3, 0.05, seed=3, model=model)


def _problem(model: str, reg: str, lam: float, drop_last: bool = False, reg_bias: bool = False) -> DataProblem:
    X, y = _data(model)
    return DataProblem(model=model, X=X, y=y, reg=reg, lam=lam, batch=B, drop_last=drop_last, reg_bias=reg_bias)


class Tanh(nn.Module):
    """ŷ = w₂·tanh(w₁·x): two bias-free linear maps around a tanh."""

    def __init__(self):
        super().__init__()
        self.inner = nn.Linear(1, 1, bias=False, dtype=torch.float64)
        self.outer = nn.Linear(1, 1, bias=False, dtype=torch.float64)

    def forward(self, x):
        return self.outer(torch.tanh(self.inner(x)))


def _torch_model(model: str):
    """(the nn module, its loss, how W (2,) maps onto the module's parameters)."""
    if model == "linear":
        params = lambda W: {"weight": W[0:1].view(1, 1), "bias": W[1:2]}
        return nn.Linear(1, 1, dtype=torch.float64), nn.MSELoss(), params
    if model == "logistic":
        # the logit, and BCEWithLogitsLoss (sigmoid + BCE in one, stable): nn.Sigmoid + nn.BCELoss clamps
        # log σ at −100 and loses the gradient where σ saturates, where L-BFGS's line search may look
        m = nn.Linear(2, 1, bias=False, dtype=torch.float64)
        return m, nn.BCEWithLogitsLoss(), lambda W: {"weight": W.view(1, 2)}
    return Tanh(), nn.MSELoss(), lambda W: {"inner.weight": W[0:1].view(1, 1), "outer.weight": W[1:2].view(1, 1)}


def _objective(problem: DataProblem):
    """W (2,) and sample indices -> the torch objective: the nn model's loss plus λ‖W‖² (or λ‖W‖₁)."""
    module, loss_fn, params = _torch_model(problem.model)
    X = torch.tensor(problem.X if problem.model == "logistic" else problem.X[:, :1])
    Y = torch.tensor(problem.y).view(-1, 1)
    mask = torch.tensor(problem.mask)

    def objective(W, rows):
        out = torch.func.functional_call(module, params(W), (X[rows],))
        value = loss_fn(out, Y[rows])
        if problem.reg_kind == 1:
            value = value + problem.lam * torch.sum(mask * W * W)
        elif problem.reg_kind == 2:
            value = value + problem.lam * torch.sum(mask * torch.abs(W))
        return value

    return objective


def _adafactor(t, p, h):
    eps = None if h["eps"] == np.finfo(np.float64).eps else h["eps"]  # None: the dtype's machine epsilon
    return t.optim.Adafactor(
        [p], lr=h["lr"], beta2_decay=h["beta2_decay"], eps=(eps, h["eps2"]), d=h["d"], weight_decay=h["weight_decay"]
    )


FACTORY = {**TORCH_FACTORY, "adafactor": _adafactor}
COORDINATE = [name for name in optimizers.NAMES if not optimizers.RULES[name].vector]


def _torch_path(rule: str, problem: DataProblem, start, batches, hyper: dict) -> np.ndarray:
    objective = _objective(problem)
    W = torch.tensor(np.asarray(start, dtype=np.float64), requires_grad=True)
    opt = FACTORY[rule](torch, W, hyper)
    path = [W.detach().numpy().copy()]
    for k in range(STEPS):
        opt.zero_grad()
        objective(W, torch.as_tensor(batches.indices(k))).backward()
        opt.step()
        path.append(W.detach().numpy().copy())
    return np.array(path)


def _lr(rule: str) -> dict:
    return {"lr": 0.05} if rule not in ("adadelta",) else {}


CASES = [
    ("linear", "none", 0.0),
    ("linear", "L2", 0.1),
    ("logistic", "none", 0.0),
    ("logistic", "L2", 0.05),
    ("tanh", "none", 0.0),
    ("tanh", "L2", 0.05),
]


@pytest.mark.parametrize("rule", [*COORDINATE, "adafactor"])
@pytest.mark.parametrize(("model", "reg", "lam"), CASES)
def test_paths_equal_torch_on_the_same_batches(rule, model, reg, lam):
    problem = _problem(model, reg, lam)
    surface = data_surface(problem)
    start = (0.8, -0.6)
    ours = optimizers.run(rule, surface, start, STEPS, seed=11, **_lr(rule))
    hyper = {**optimizers.RULES[rule].defaults, **_lr(rule)}
    theirs = _torch_path(rule, problem, start, ours.batches, hyper)
    np.testing.assert_allclose(ours.path, theirs, rtol=1e-6, atol=1e-12)
    assert np.ptp(ours.path[:, 0]) > 1e-3  # the run moved: the comparison is not vacuous


@pytest.mark.parametrize("rule", ["sgd", "adam", "adamw"])
@pytest.mark.parametrize("model", ["linear", "tanh"])
def test_l1_bias_choice_and_drop_last_equal_torch(rule, model):
    problem = _problem(model, "L1", 0.05, drop_last=True, reg_bias=True)
    surface = data_surface(problem)
    ours = optimizers.run(rule, surface, (0.3, 0.2), STEPS, seed=5, lr=0.05)
    assert set(ours.batches.sizes.tolist()) == {B}  # drop_last: no short batch
    theirs = _torch_path(rule, problem, (0.3, 0.2), ours.batches, {**optimizers.RULES[rule].defaults, "lr": 0.05})
    np.testing.assert_allclose(ours.path, theirs, rtol=1e-6, atol=1e-12)


def test_unregularised_bias_is_left_alone():
    with_bias = data_surface(_problem("linear", "L2", 1.0, reg_bias=True))
    without = data_surface(_problem("linear", "L2", 1.0, reg_bias=False))
    base = data_surface(_problem("linear", "none", 0.0))
    gb = np.array(base.gradient(0.7, -0.4))
    assert without.gradient(0.7, -0.4)[1] == pytest.approx(gb[1], rel=1e-12)
    assert with_bias.gradient(0.7, -0.4)[1] == pytest.approx(gb[1] + 2.0 * -0.4, rel=1e-12)


@pytest.mark.parametrize(("model", "reg", "lam"), [*CASES, ("linear", "L2", 0.3)])
def test_value_gradient_hessian_equal_autograd(model, reg, lam):
    problem = _problem(model, reg, lam)
    surface = data_surface(problem)
    objective = _objective(problem)
    every = torch.arange(problem.n)
    for w in [(0.8, -0.6), (-1.3, 0.4), (0.05, 2.0)]:
        W = torch.tensor(w, dtype=torch.float64, requires_grad=True)
        value = objective(W, every)
        (grad,) = torch.autograd.grad(value, W)
        hess = torch.autograd.functional.hessian(lambda v: objective(v, every), W.detach())
        assert surface.value(*w) == pytest.approx(value.item(), rel=1e-10)
        np.testing.assert_allclose(surface.gradient(*w), grad.numpy(), rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(surface.hessian_matrix(*w), hess.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize("size", [1, 7, 32, 40])
def test_batches_have_dataloader_structure(size, drop_last):
    """Same number and sizes of batches per epoch as DataLoader(shuffle=True), each epoch a fresh
    permutation whose batches (with drop_last, all but the remainder) cover every sample once."""
    from torch.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(torch.arange(N)), batch_size=size, shuffle=True, drop_last=drop_last)
    torch_sizes = [len(b[0]) for b in loader]
    epochs = 3
    steps = epochs * len(torch_sizes)
    batches = plan(N, size, drop_last, steps, [4])
    assert batches.per_epoch == len(loader)
    assert batches.sizes.tolist() == torch_sizes * epochs
    for e in range(epochs):
        seen = np.concatenate([batches.indices(k) for k in range(steps) if batches.epoch[k] == e])
        assert len(np.unique(seen)) == len(seen) == sum(torch_sizes)
    firsts = [batches.indices(k * len(torch_sizes)).tolist() for k in range(epochs)]
    assert size == N or firsts[0] != firsts[1]  # reshuffled every epoch


def test_recorded_batches_replay_through_a_dataloader():
    """The recorded indices drive a real DataLoader (``batch_sampler``) to the same batches."""
    from torch.utils.data import DataLoader, TensorDataset

    surface = data_surface(_problem("linear", "none", 0.0))
    run = optimizers.run("sgd", surface, (0.0, 0.0), STEPS, seed=9, lr=0.05)
    recorded = [run.batches.indices(k).tolist() for k in range(STEPS)]
    loader = DataLoader(TensorDataset(torch.arange(N)), batch_sampler=recorded)
    assert [b[0].tolist() for b in loader] == recorded


# --- vector rules: L-BFGS's closure over the current batch, Newton's batch Hessian ------------------


def _torch_lbfgs(problem: DataProblem, start, batches, hyper: dict, steps: int):
    """torch.optim.LBFGS(max_iter=1) over the replayed batches: one ``.step(closure)`` a batch, the
    closure the nn model's loss (+ λR) on that batch. Returns the path and each step's evaluated points."""
    objective = _objective(problem)
    W = torch.tensor(np.asarray(start, dtype=np.float64), requires_grad=True)
    opt = lbfgs(torch, W, hyper)
    path, points = [W.detach().numpy().copy()], []
    for k in range(steps):
        rows, seen = torch.as_tensor(batches.indices(k)), []

        def closure(rows=rows, seen=seen):
            opt.zero_grad()
            seen.append(W.detach().numpy().copy())
            value = objective(W, rows)
            value.backward()
            return value

        opt.step(closure)
        path.append(W.detach().numpy().copy())
        points.append(np.array(seen))
    return np.array(path), points


def _finite(ours: np.ndarray, ref: np.ndarray) -> int:
    """Steps both runs keep inside the engine's bound (L-BFGS without a search may run off)."""
    ok = np.all(np.isfinite(ours), axis=1) & np.all(np.abs(ref) < 1e6, axis=1)
    return len(ok) if ok.all() else int(np.argmin(ok))


@pytest.mark.parametrize("line_search", [0, 1])
@pytest.mark.parametrize(("model", "reg", "lam"), CASES)
def test_lbfgs_equals_torch_with_a_closure_over_the_batch(model, reg, lam, line_search):
    problem = _problem(model, reg, lam)
    surface = data_surface(problem)
    hyper = {**optimizers.RULES["lbfgs"].defaults, "line_search": float(line_search), "history_size": 5.0}
    if line_search:
        hyper["max_eval"] = 25.0
    else:
        hyper["lr"] = 0.3  # without a search a full step on a fresh batch's curvature model can overshoot
    start = (0.8, -0.6)
    ours = optimizers.run("lbfgs", surface, start, STEPS, seed=11, **hyper)
    theirs, points = _torch_lbfgs(problem, start, ours.batches, hyper, STEPS)
    upto = _finite(ours.path, theirs)
    assert upto > STEPS // 2
    np.testing.assert_allclose(ours.path[:upto], theirs[:upto], rtol=1e-6, atol=1e-9)
    assert np.ptp(ours.path[:upto, 0]) > 1e-3
    for k in range(upto - 1):  # every closure call of a step: how many, and where
        count = len(points[k])
        assert ours.state["evals"][k + 1, 0] == count
        np.testing.assert_allclose(ours.trail[k, :count], points[k], rtol=1e-4, atol=1e-9)
        assert np.isnan(ours.trail[k, count:]).all()
        np.testing.assert_allclose(
            ours.batch_loss[k],
            _objective(problem)(torch.tensor(ours.path[k]), torch.as_tensor(ours.batches.indices(k))).item(),
            rtol=1e-10,
        )
    if line_search:
        assert max(len(p) for p in points[: upto - 1]) > 2  # the search brackets and zooms on a batch


def _numpy_newton(problem: DataProblem, start, batches, steps: int, lr=1.0, damping=0.0, saddle_free=False):
    """θ ← θ − lr (H_B + δI)⁻¹ g_B (saddle-free: |H_B|), with g_B and H_B the batch objective's gradient
    and Hessian from torch.autograd (the nn model's loss + λR on step k's batch)."""
    objective = _objective(problem)
    p = np.array(start, dtype=float)
    path = [p.copy()]
    for k in range(steps):
        rows = torch.as_tensor(batches.indices(k))
        W = torch.tensor(p, requires_grad=True)
        (g,) = torch.autograd.grad(objective(W, rows), W)
        h = torch.autograd.functional.hessian(lambda v, rows=rows: objective(v, rows), W.detach()).numpy()
        g = g.numpy()
        if saddle_free:
            lam, q = np.linalg.eigh(h)
            step = q @ ((q.T @ g) / (np.abs(lam) + damping))
        else:
            step = np.linalg.solve(h + damping * np.eye(2), g)
        p = p - lr * step
        path.append(p.copy())
    return np.array(path)


@pytest.mark.parametrize("variant", [{}, {"damping": 2.0, "lr": 0.5}, {"saddle_free": 1.0, "damping": 0.1}])
@pytest.mark.parametrize(("model", "reg", "lam"), CASES)
def test_newton_equals_numpy_on_the_batch_hessian(model, reg, lam, variant):
    problem = _problem(model, reg, lam)
    surface = data_surface(problem)
    start = (0.8, -0.6)
    steps = 20
    ours = optimizers.run("newton", surface, start, steps, seed=11, **variant)
    moved = steps
    if ours.stopped_at is not None:  # pure Newton on a separable batch runs out to where σ saturates: H ≈ 0
        assert model == "logistic" and reg == "none" and "singular" in ours.stop_reason
        moved = ours.stopped_at
        assert np.all(ours.path[moved:] == ours.path[moved])  # it stays where H is singular
    theirs = _numpy_newton(
        problem,
        start,
        ours.batches,
        moved,
        lr=variant.get("lr", 1.0),
        damping=variant.get("damping", 0.0),
        saddle_free=bool(variant.get("saddle_free")),
    )
    upto = _finite(ours.path[: moved + 1], theirs)
    assert upto > 5
    np.testing.assert_allclose(ours.path[:upto], theirs[:upto], rtol=1e-6, atol=1e-12)
    assert np.ptp(ours.path[:upto, 0]) > 1e-3


@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_newton_solves_full_batch_linear_regression_in_one_step(lam):
    """One batch = all N samples and lr 1: the objective is a quadratic, so θ₁ is (ridge) least squares."""
    X, y = _data("linear")
    problem = DataProblem(model="linear", X=X, y=y, reg="L2", lam=lam, batch=N)
    surface = data_surface(problem)
    r = optimizers.run("newton", surface, (3.0, -2.0), 3)
    A = np.column_stack([X[:, 0], np.ones(N)])
    # normal equations of 1/N ‖A w − y‖² + λ w₁² (the bias is not regularised)
    w = np.linalg.solve(A.T @ A / N + np.diag([lam, 0.0]), A.T @ y / N)
    np.testing.assert_allclose(r.path[1], w, rtol=1e-10)
    np.testing.assert_allclose(surface.gradient(*r.path[1]), 0.0, atol=1e-12)
    np.testing.assert_allclose(r.path[2], r.path[1], atol=1e-13)


def test_newton_stops_on_a_singular_batch_hessian_unless_damped():
    """Linear regression on one sample: H = 2 [[x², x], [x, 1]] has rank 1."""
    problem = DataProblem(model="linear", X=_data("linear")[0], y=_data("linear")[1], batch=1)
    surface = data_surface(problem)
    r = optimizers.run("newton", surface, (0.5, 0.5), 10, seed=2)
    assert r.stopped_at == 0 and "singular" in r.stop_reason
    assert np.all(r.path == (0.5, 0.5)) and np.isfinite(r.loss).all()
    damped = optimizers.run("newton", surface, (0.5, 0.5), 10, seed=2, damping=1.0)
    assert damped.stopped_at is None and np.ptp(damped.path[:, 0]) > 1e-3


@pytest.mark.parametrize("rule", ["newton", "lbfgs", "adafactor"])
def test_a_vector_batch_over_shuffling_seeds_is_its_single_runs(rule):
    """An ensemble (one shuffling seed per start) and a basin map (several starts, one seed): each start
    runs as it would alone, with its own batches."""
    surface = data_surface(_problem("tanh", "L2", 0.05))
    starts = np.array([[0.8, -0.6], [0.8, -0.6], [-1.0, 1.2]])
    extra = {"line_search": 1.0, "max_eval": 25.0} if rule == "lbfgs" else {"damping": 0.5} if rule == "newton" else {}
    batch = optimizers.run_batch(rule, surface, starts, 30, shuffle_seeds=[4, 9, 4], **extra)
    for i, seed in enumerate([4, 9, 4]):
        one = optimizers.run(rule, surface, starts[i], 30, seed=seed, **extra)
        np.testing.assert_allclose(batch.path[:, i], one.path, rtol=1e-12, equal_nan=True)
        np.testing.assert_allclose(batch.batch_loss[:, i], one.batch_loss, rtol=1e-12, equal_nan=True)
        np.testing.assert_array_equal(batch.batches.indices(7, i), one.batches.indices(7))
    assert not np.allclose(batch.path[-1, 0], batch.path[-1, 1])  # other batches, another end
