"""Data landscapes without Dash: generators, shipped sets, minima with and without λ, the engine's
minibatch runs (records, full batch = gradient descent, ensembles over shuffling seeds, limits)."""

import numpy as np
import pytest

import optimizers
from landscapes.data import DataProblem, data_surface, generators
from landscapes.data.generators import REAL


def _surface(model="linear", **kw):
    if model == "logistic":
        X, y = generators.classification(60, 0.8, kw.pop("shape", "overlapping"), seed=1)
    else:
        X, y = generators.regression(60, 0.3, 0.0, seed=1, model=model)
    return data_surface(DataProblem(model=model, X=X, y=y, **kw))


def test_generators_are_seeded_and_shaped():
    a = generators.regression(50, 0.5, 0.1, seed=7)
    b = generators.regression(50, 0.5, 0.1, seed=7)
    c = generators.regression(50, 0.5, 0.1, seed=8)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])
    X, y = generators.classification(400, 1.0, "imbalanced", seed=2)
    assert 0.03 < y.mean() < 0.2
    X, y = generators.classification(400, 1.0, "separable", seed=2)
    margin = (X @ np.array([1.0, 0.6])) * np.where(y == 1, 1, -1)
    assert margin.min() > 0  # some W through the origin separates them


@pytest.mark.parametrize("name", list(REAL))
def test_shipped_sets_load_offline(name):
    X, y = generators.real(name)
    assert X.shape == (len(y), 2) and len(y) >= 11 and np.all(np.isfinite(X))
    if REAL[name][0] == "classification":
        assert set(np.unique(y)) == {0.0, 1.0}
        np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-12)


def test_minimum_is_the_least_squares_fit():
    X, y = generators.regression(60, 0.3, 0.0, seed=1)
    fit = np.polyfit(X[:, 0], y, 1)
    (w,) = _surface().minima
    np.testing.assert_allclose(w, fit, rtol=1e-7)


def test_l2_moves_the_minimum_and_both_are_kept():
    s = _surface(reg="L2", lam=0.5, reg_bias=True)
    assert np.linalg.norm(s.minima[0]) < np.linalg.norm(s.free_minima[0])  # pulled toward 0
    np.testing.assert_allclose(s.gradient(*s.minima[0]), 0.0, atol=1e-7)


def test_l1_subgradient_is_zero_at_zero_like_torch_sign():
    s = _surface(reg="L1", lam=0.5, reg_bias=True)
    free = _surface()
    assert s.gradient(0.0, 0.0) == pytest.approx(free.gradient(0.0, 0.0), abs=1e-15)
    assert s.gradient(0.1, -0.1)[0] == pytest.approx(free.gradient(0.1, -0.1)[0] + 0.5, rel=1e-12)


def test_separable_data_has_no_minimum_until_lambda():
    assert _surface("logistic", shape="separable").minima == ()
    assert len(_surface("logistic", shape="separable", reg="L2", lam=0.01).minima) == 1


def test_tanh_unit_has_mirrored_minima_and_a_saddle():
    s = _surface("tanh")
    (a, b) = s.minima
    np.testing.assert_allclose(a, -np.asarray(b), rtol=1e-6)
    assert s.saddles == ((0.0, 0.0),)
    np.testing.assert_allclose(s.gradient(0.0, 0.0), 0.0, atol=1e-15)
    assert np.linalg.eigvalsh(s.hessian_matrix(0.0, 0.0)).min() < 0


def test_run_records_batches_and_batch_loss():
    s = _surface(batch=8)
    r = optimizers.run("adam", s, s.start, 30, seed=3, lr=0.1)
    X, y = s.problem.X, s.problem.y
    for k in (0, 7, 8, 29):
        rows = r.batches.indices(k)
        w1, w2 = r.path[k]
        expect = np.mean((w1 * X[rows, 0] + w2 - y[rows]) ** 2)
        assert r.batch_loss[k] == pytest.approx(expect, rel=1e-12)
        assert r.loss[k] == pytest.approx(s.value(w1, w2), rel=1e-12)
    assert r.batches.epoch.tolist()[:9] == [0] * 8 + [1]  # 60 / 8: 8 batches, the last of 4


def test_full_batch_is_gradient_descent():
    s = _surface(batch=60)
    r = optimizers.run("sgd", s, (0.5, 0.5), 20, lr=0.1)
    w = np.array([0.5, 0.5])
    for _ in range(20):
        w = w - 0.1 * np.array(s.gradient(*w))
    np.testing.assert_allclose(r.path[-1], w, rtol=1e-12)
    np.testing.assert_allclose(r.batch_loss, r.loss[:-1], rtol=1e-12)


def test_ensembles_over_shuffling_seeds_differ_and_repeat():
    s = _surface(batch=4)
    starts = np.repeat([s.start], 3, axis=0)
    a = optimizers.run_batch("sgd", s, starts, 40, shuffle_seeds=[0, 1, 0], lr=0.05)
    np.testing.assert_array_equal(a.path[:, 0], a.path[:, 2])
    assert not np.allclose(a.path[-1, 0], a.path[-1, 1])
    same = optimizers.run_batch("sgd", s, starts, 40, seed=0, lr=0.05)
    assert len(same.batches.seeds) == 1  # a basin map's starts share one shuffle


def test_loss_every_thins_only_the_full_loss():
    s = _surface("tanh", batch=8)
    every = optimizers.run_batch("adam", s, np.array([s.start]), 20, lr=0.05)
    thin = optimizers.run_batch("adam", s, np.array([s.start]), 20, lr=0.05, loss_every=0)
    np.testing.assert_array_equal(every.path, thin.path)
    assert np.isnan(thin.loss[1:-1]).all() and thin.loss[-1] == every.loss[-1]


def test_hostile_arguments_are_refused_clearly():
    s = _surface()
    with pytest.raises(ValueError, match="grad_noise"):
        optimizers.run_batch("sgd", s, np.zeros((1, 2)), 5, grad_noise=1.0)
    with pytest.raises(ValueError, match="shuffle_seeds"):
        optimizers.run_batch("sgd", s, np.zeros((2, 2)), 5, shuffle_seeds=[1])
    with pytest.raises(ValueError, match="loss_every"):
        optimizers.run_batch("sgd", s, np.zeros((1, 2)), 5, loss_every=-1)
    with pytest.raises(ValueError, match="at least 2 samples"):
        DataProblem(model="linear", X=np.zeros((1, 2)), y=np.zeros(1))
    with pytest.raises(ValueError, match="unknown model"):
        DataProblem(model="cubic", X=np.zeros((3, 2)), y=np.zeros(3))


def test_diverging_run_stops_and_marks_it():
    s = _surface(batch=8)
    r = optimizers.run("sgd", s, s.start, 200, lr=5.0, bound=1e3)
    assert r.diverged_at is not None and np.isnan(r.path[-1]).all()


def test_basin_map_chunks_run_on_a_data_landscape():
    from explore.batch import run_endings

    s = _surface("tanh", batch=8)
    xs = np.linspace(-2.5, 2.5, 6)
    starts = np.array([(a, b) for a in xs for b in xs if abs(a) > 0.2])
    out = run_endings("adam", s, starts, 400, {"lr": 0.05}, loss_every=0)
    # starts reach both mirrored minima; the others are still jostled by the minibatches (not arrived)
    assert {0, 1} <= set(out.label.tolist()) <= {0, 1, -3}
    assert np.all(np.isfinite(out.final_loss))


def test_a_large_logistic_data_set_is_drawn_on_the_full_grid_exactly():
    """logistic_grid (separable exponentials, logs of products) equals the sum over samples per point."""
    X, y = generators.classification(10_000, 0.8, "overlapping", seed=0)
    s = data_surface(DataProblem(model="logistic", X=X, y=y, reg="L2", lam=0.05))
    xs, ys, z = s.grid(100)
    assert len(xs) == len(ys) == 100 and z.shape == (100, 100)
    rng = np.random.default_rng(0)
    for j, i in rng.integers(0, 100, size=(25, 2)):
        np.testing.assert_allclose(z[j, i], s.value(xs[i], ys[j]), rtol=1e-12)
    np.testing.assert_allclose(z[0, 0], s.value(xs[0], ys[0]), rtol=1e-12)  # a corner: the largest |z|
    assert len(_surface().grid(100)[0]) == 100  # linear regression: O(1) a point, the full grid


@pytest.mark.parametrize(("reg", "lam", "classes"), [("none", 0.0, "overlapping"), ("L1", 0.1, "separable")])
def test_the_logistic_grid_equals_the_sum_over_samples(reg, lam, classes):
    from landscapes.data.problem import logistic_grid

    X, y = generators.classification(700, 0.8, classes, seed=3)  # 700: chunks of 256 and a remainder
    p = DataProblem(model="logistic", X=X, y=y, reg=reg, lam=lam)
    w1s, w2s = np.linspace(-6.0, 5.0, 13), np.linspace(-4.0, 7.0, 11)
    w1, w2 = np.meshgrid(w1s, w2s)
    np.testing.assert_allclose(logistic_grid(p, w1s, w2s), p.evaluate(w1, w2, 0)[..., 0], rtol=1e-12, atol=1e-15)


def test_logistic_data_too_large_for_the_separable_form_is_drawn_on_a_bounded_grid():
    from landscapes.data.problem import GRID_SAMPLES, MIN_GRID, separable_logistic

    X, y = generators.classification(10_000, 0.8, "overlapping", seed=0)
    s = data_surface(DataProblem(model="logistic", X=X * 200.0, y=y, reg="L2", lam=0.05))
    assert not separable_logistic(s.problem, s.domain)  # e^{w·x} would overflow
    xs, ys, z = s.grid(100)
    assert len(xs) ** 2 * 10_000 <= max(GRID_SAMPLES, MIN_GRID**2 * 10_000) and z.shape == (len(ys), len(xs))
    np.testing.assert_allclose(z[3, 5], s.value(xs[5], ys[3]), rtol=1e-12)


@pytest.mark.parametrize(("reg", "lam", "reg_bias"), [("none", 0.0, False), ("L2", 0.05, False), ("L1", 0.1, True)])
def test_the_tanh_units_grid_is_the_full_grid_and_exact(reg, lam, reg_bias):
    """The separable form w₂²A(w₁) − 2w₂B(w₁) + C equals the sum over samples at every grid point."""
    from landscapes.surface import Surface

    X, y = generators.regression(3_000, 0.3, 0.1, seed=2, model="tanh")
    s = data_surface(DataProblem(model="tanh", X=X, y=y, reg=reg, lam=lam, reg_bias=reg_bias))
    xs, ys, z = s.grid(40)
    np.testing.assert_array_equal(ys[[0, -1]], Surface.grid(s, 2)[1])
    xs0, _, z0 = Surface.grid(s, 40)  # the straightforward one: value() at every point, N samples each
    assert len(xs) == 40 and z.shape == (40, 40)
    np.testing.assert_array_equal(xs, xs0)
    np.testing.assert_allclose(z, z0, rtol=1e-12, atol=1e-12 * np.max(np.abs(z0)))
