"""The engine: batching, backends, noise seeds, divergence, and refused arguments."""

import numpy as np
import pytest

import landscapes
import optimizers

MM = landscapes.get("multimodal")
PARABOLOID = landscapes.get("paraboloid")


def test_run_shapes_and_state_history():
    r = optimizers.run("adam", MM, (-2.0, 2.0), 50)
    assert r.path.shape == (51, 2) and r.loss.shape == (51,) and r.grads.shape == (50, 2)
    assert set(r.state) == {"step", "m", "v"} and r.state["m"].shape == (51, 2)
    np.testing.assert_array_equal(r.state["step"][:, 0], np.arange(51))
    np.testing.assert_allclose(r.loss, MM.value(r.path[:, 0], r.path[:, 1]))
    gx, gy = MM.gradient(r.path[:-1, 0], r.path[:-1, 1])
    np.testing.assert_allclose(r.grads, np.stack([gx, gy], axis=1))
    assert r.diverged_at is None


def test_batch_equals_one_run_per_start_and_accepts_one_setting_per_start():
    starts = np.array([[-2.0, 2.0], [1.0, -3.0], [5.0, 5.0]])
    lrs = np.array([0.1, 0.05, 0.2])
    b = optimizers.run_batch("momentum", MM, starts, 200, lr=lrs, keep_state=True)
    assert b.path.shape == (201, 3, 2) and b.state["velocity"].shape == (201, 3, 2)
    for i in range(3):
        one = optimizers.run("momentum", MM, starts[i], 200, lr=lrs[i])
        np.testing.assert_array_equal(b.path[:, i], one.path)


@pytest.mark.parametrize("rule", optimizers.NAMES)
def test_compiled_and_numpy_backends_agree(rule):
    starts = np.array([[-2.0, 2.0], [3.0, -1.0]])
    a = optimizers.run_batch(rule, MM, starts, 150, grad_noise=0.05, seed=2, keep_state=True)
    b = optimizers.run_batch(rule, MM, starts, 150, grad_noise=0.05, seed=2, keep_state=True, backend="numpy")
    np.testing.assert_allclose(a.path, b.path, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a.loss, b.loss, rtol=1e-12, atol=1e-12)
    for slot in a.state:
        np.testing.assert_allclose(a.state[slot], b.state[slot], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("rule", ["sgd", "nesterov", "rmsprop", "adam"])
def test_compiled_rough_layer_matches_the_scipy_spline_loop(rule):
    """The compiled loop adds the rough layer itself (landscapes.bspline); the numpy loop calls scipy.

    Small roughness and lr keep the dynamics non-chaotic, so rounding differences stay rounding.
    Two starts leave the domain, where the layer is held flat.
    """
    s = landscapes.get("paraboloid", roughness=0.3, seed=4)
    starts = np.array([[1.0, 1.5], [-0.7, 0.2], [1.9, -1.95], [2.5, 0.0]])
    a = optimizers.run_batch(rule, s, starts, 300, grad_noise=0.05, seed=1, lr=0.01)
    b = optimizers.run_batch(rule, s, starts, 300, grad_noise=0.05, seed=1, lr=0.01, backend="numpy")
    assert not np.allclose(a.path, optimizers.run_batch(rule, PARABOLOID, starts, 300, lr=0.01).path)
    np.testing.assert_allclose(a.path, b.path, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(a.loss, b.loss, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(a.grads, b.grads, rtol=1e-8, atol=1e-10)


def test_gradient_noise_is_seeded():
    a = optimizers.run("sgd", MM, (-2.0, 2.0), 100, grad_noise=0.1, seed=11)
    b = optimizers.run("sgd", MM, (-2.0, 2.0), 100, grad_noise=0.1, seed=11)
    c = optimizers.run("sgd", MM, (-2.0, 2.0), 100, grad_noise=0.1, seed=12)
    clean = optimizers.run("sgd", MM, (-2.0, 2.0), 100)
    np.testing.assert_array_equal(a.path, b.path)
    assert not np.allclose(a.path, c.path)
    noise = a.grads - np.stack(MM.gradient(a.path[:-1, 0], a.path[:-1, 1]), axis=1)
    assert 0.07 < noise.std() < 0.13
    assert not np.allclose(a.path, clean.path)


def test_notebook_scene_plain_gd_on_noisy_paraboloid_5000_steps():
    s = landscapes.get("paraboloid", roughness=2.0, seed=0)
    r = optimizers.run("sgd", s, s.start, 5000, lr=0.01)
    assert r.path.shape == (5001, 2) and r.diverged_at is None
    # The notebook's lesson: the rough layer stops plain GD in a dent well short of (0, 0).
    assert np.hypot(*r.path[-1]) < np.hypot(*s.start) / 2
    assert np.hypot(*r.grads[-1]) < 1e-3 and np.hypot(*r.path[-1]) > 0.1
    again = optimizers.run("sgd", landscapes.get("paraboloid", roughness=2.0, seed=0), s.start, 5000, lr=0.01)
    np.testing.assert_array_equal(r.path, again.path)


def test_divergence_is_flagged_at_the_first_bad_step():
    # On x^2 + y^2 SGD multiplies each coordinate by (1 - 2 lr) = -3 per step at lr = 2.
    r = optimizers.run("sgd", PARABOLOID, (1.0, 1.0), 100, lr=2.0)
    expected = int(np.argmax(3.0 ** np.arange(101) > 1e6))
    assert r.diverged_at == expected
    assert np.all(np.isfinite(r.path[: expected + 1]))
    assert np.all(np.isnan(r.path[expected + 1 :]))


def test_divergence_bound_is_configurable_and_nan_counts():
    r = optimizers.run("sgd", PARABOLOID, (1.0, 1.0), 100, lr=2.0, bound=100.0)
    assert r.diverged_at == 5  # 3^5 = 243 > 100
    b = optimizers.run_batch("sgd", PARABOLOID, [[1.0, 1.0], [0.1, 0.1]], 20, lr=[2.0, 0.1])
    assert list(b.diverged_at) == [13, -1]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: optimizers.run("shampoo", MM, (0, 0), 10), "unknown optimizer 'shampoo'"),
        (lambda: optimizers.run("sgd", MM, (0, 0), 10, lr=-0.1), r"lr must be in \[0, 1e\+06\]"),
        (lambda: optimizers.run("sgd", MM, (0, 0), 10, lr=float("nan")), "lr must be in"),
        (lambda: optimizers.run("adam", MM, (0, 0), 10, beta1=1.0), r"beta1 must be in \[0, 1\)"),
        (lambda: optimizers.run("adam", MM, (0, 0), 10, eps=0.0), r"eps must be in \(0, 1\]"),
        (lambda: optimizers.run("adam", MM, (0, 0), 10, rho=0.9), "adam has no hyperparameter 'rho'"),
        (lambda: optimizers.run("sgd", MM, (0, 0), optimizers.MAX_STEPS + 1), "steps must be between 0 and"),
        (lambda: optimizers.run("sgd", MM, (0, 0), -1), "steps must be between"),
        (lambda: optimizers.run("sgd", MM, (0, 0), 2.5), "steps must be a whole number"),
        (lambda: optimizers.run("sgd", MM, (float("inf"), 0), 10), "start points must be finite"),
        (lambda: optimizers.run("sgd", MM, (float("nan"), 0), 10), "start points must be finite"),
        (lambda: optimizers.run("sgd", MM, (1, 2, 3), 10), "start must be a pair"),
        (lambda: optimizers.run("sgd", MM, "here", 10), "start must be a pair"),
        (lambda: optimizers.run("sgd", MM, (0, 0), 10, grad_noise=-1), "grad_noise must be"),
        (lambda: optimizers.run("sgd", MM, (0, 0), 10, seed=-1), "seed must be an integer"),
        (lambda: optimizers.run_batch("sgd", MM, np.zeros((60_000, 2)), 1000), "starts x steps must be at most"),
        (lambda: optimizers.run_batch("sgd", MM, np.zeros((3, 2)), 10, lr=[0.1, 0.2]), "one value per start"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_registry_lists_labels_colours_and_defaults():
    assert optimizers.NAMES[:5] == optimizers.SEED_FIVE
    assert len(set(optimizers.NAMES)) == len(optimizers.NAMES) == len(optimizers.RULES)
    assert {"asgd", "rprop", "lion", "schedulefree_sgd", "schedulefree_adamw", "adopt"} <= set(optimizers.NAMES)
    for rule in optimizers.RULES.values():
        assert rule.label and rule.color.startswith("#") and "lr" in rule.defaults
    assert optimizers.RULES["adam"].defaults == {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7}
    assert optimizers.RULES["rmsprop"].defaults == {"lr": 0.1, "decay": 0.9, "eps": 1e-7}
    assert optimizers.RULES["momentum"].defaults == {"lr": 0.1, "rho": 0.9}


def test_warm_up_compiles_the_named_surfaces_and_reads_its_setting():
    from app.serving.warmup import DEFAULT_SURFACES, surfaces_from_env, warm_up

    assert surfaces_from_env(None) == DEFAULT_SURFACES and surfaces_from_env("none") == ()
    assert surfaces_from_env("all") == landscapes.NAMES
    assert surfaces_from_env(" Beale, nowhere ,saddle") == ("beale", "saddle")
    assert warm_up(("saddle",), rules=("sgd",)) >= 0.0
