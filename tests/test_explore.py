"""Basin maps and sweeps on surfaces where the answer is known."""

from __future__ import annotations

import numpy as np
import pytest

import explore
import landscapes
import optimizers
from explore import DIVERGED, LEFT_VIEW, NOT_CONVERGED


def test_paraboloid_every_start_converges_to_the_origin_for_a_small_learning_rate():
    s = landscapes.get("paraboloid")
    m = explore.basin_map("sgd", s, resolution=25, steps=400, lr=0.05)
    assert m.label.shape == (25, 25)
    assert (m.label == 0).all()
    assert np.allclose(m.minima, [[0.0, 0.0]])
    assert (m.steps_to >= 0).all()
    assert m.steps_to[12, 12] == 0  # the grid's centre is the minimum itself
    assert m.steps_to[0, 0] > m.steps_to[12, 13] > 0  # farther starts take longer


def test_paraboloid_diverges_everywhere_above_two_over_curvature():
    s = landscapes.get("paraboloid")
    m = explore.basin_map("sgd", s, resolution=10, steps=300, lr=1.5)  # curvature 2: stable below lr 1
    assert ((m.label == DIVERGED) | (m.label == LEFT_VIEW)).all()


def test_himmelblau_has_four_basins_each_around_its_own_minimum():
    s = landscapes.get("himmelblau")
    m = explore.basin_map("adam", s, resolution=60, steps=300, lr=0.05)
    assert set(np.unique(m.label)) == {0, 1, 2, 3}
    for j, (mx, my) in enumerate(s.minima):  # a start right at a minimum stays in its own basin
        i = np.argmin(np.abs(m.xs - mx))
        k = np.argmin(np.abs(m.ys - my))
        assert m.label[k, i] == j
    counts = np.bincount(m.label.ravel(), minlength=4)
    assert (counts > 0.1 * m.label.size).all()  # four real basins, not a few stray cells


def test_basin_cells_agree_with_single_runs():
    s = landscapes.get("multimodal")
    m = explore.basin_map("momentum", s, resolution=12, steps=200, lr=0.01)
    rng = np.random.default_rng(0)
    for k, i in rng.integers(0, 12, (6, 2)):
        r = optimizers.run("momentum", s, (m.xs[i], m.ys[k]), 200, lr=0.01)
        ends = explore.endings(optimizers.run_batch("momentum", s, [(m.xs[i], m.ys[k])], 200, lr=0.01), s)
        assert m.label[k, i] == ends.label[0]
        if m.label[k, i] >= 0:
            assert np.hypot(*(r.path[-1] - s.minima[m.label[k, i]])) <= m.tol


def test_monkey_saddle_has_no_minimum_so_nothing_converges():
    s = landscapes.get("monkey_saddle")
    m = explore.basin_map("adam", s, resolution=15, steps=100)
    assert (m.label < 0).all()
    assert NOT_CONVERGED in m.label or LEFT_VIEW in m.label or DIVERGED in m.label


def test_progress_is_reported_up_to_the_total():
    seen = []
    explore.basin_map(
        "sgd", landscapes.get("paraboloid"), resolution=80, steps=20, progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (6400, 6400)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) >= 2


def test_sweep_on_the_paraboloid_knows_where_sgd_momentum_diverges():
    s = landscapes.get("paraboloid")
    lr = explore.sweep_values("lr", 1e-3, 3.0, 12)
    rho = explore.sweep_values("rho", 0.0, 0.9, 4)
    sw = explore.sweep("momentum", s, s.start, 300, lr, "rho", rho)
    assert sw.label.shape == (4, 12)
    # heavy ball on curvature 2: stable iff lr * 2 < 2 * (1 + rho)
    for j, r in enumerate(rho):
        for i, a in enumerate(lr):
            if a * 2 > 2 * (1 + r) * 1.05:
                assert sw.label[j, i] == DIVERGED
    assert (sw.label == 0).any()
    # where it converged, one cell equals a single run
    j, i = np.argwhere(sw.label == 0)[0]
    r = optimizers.run_batch("momentum", s, [s.start], 300, lr=lr[i], rho=rho[j])
    assert sw.steps_to[j, i] == explore.endings(r, s).steps_to[0]


def test_sweep_values_are_log_spaced_for_the_learning_rate():
    v = explore.sweep_values("lr", 1e-4, 1.0, 5)
    assert np.allclose(np.log10(v), [-4, -3, -2, -1, 0])
    assert np.allclose(explore.sweep_values("beta1", 0.0, 0.8, 5), [0, 0.2, 0.4, 0.6, 0.8])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: explore.basin_map("adam", landscapes.get("paraboloid"), resolution=500), "resolution"),
        (lambda: explore.basin_map("adam", landscapes.get("paraboloid"), steps=10**6), "steps"),
        (lambda: explore.sweep("sgd", landscapes.get("paraboloid"), (1, 1), 10, [0.1], "rho", [0.5]), "no setting"),
        (
            lambda: explore.sweep("adam", landscapes.get("paraboloid"), (1, 1), 10, np.ones(100), "beta1", [0.5]),
            "at most",
        ),
    ],
)
def test_work_is_bounded(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_formula_surfaces_get_basin_maps_too():
    from landscapes.formula import formula_surface

    s = formula_surface("(x^2+y-11)^2+(x+y^2-7)^2", ((-5.0, 5.0), (-5.0, 5.0)))
    m = explore.basin_map("adam", s, resolution=30, steps=300, lr=0.05)
    assert set(np.unique(m.label)) == {0, 1, 2, 3}
