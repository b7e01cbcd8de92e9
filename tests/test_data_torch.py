"""Data landscapes against PyTorch (float64): every rule on every model, with and without λ, follows
``torch.optim`` driving the real ``torch.nn`` model and loss on the same batches (the recorded
indices, replayed); the Hessians equal ``torch.autograd.functional.hessian``; the shuffling has
``DataLoader(shuffle=True)``'s structure."""

import numpy as np
import pytest

import optimizers
from landscapes.data import DataProblem, data_surface, generators, plan
from tests.reference_torch import TORCH_FACTORY

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
        m = nn.Sequential(nn.Linear(2, 1, bias=False, dtype=torch.float64), nn.Sigmoid())
        return m, nn.BCELoss(), lambda W: {"0.weight": W.view(1, 2)}
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


def _torch_path(rule: str, problem: DataProblem, start, batches, hyper: dict) -> np.ndarray:
    objective = _objective(problem)
    W = torch.tensor(np.asarray(start, dtype=np.float64), requires_grad=True)
    opt = TORCH_FACTORY[rule](torch, W, hyper)
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


@pytest.mark.parametrize("rule", optimizers.NAMES)
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
