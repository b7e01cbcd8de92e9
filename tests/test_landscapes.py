"""Surfaces: exact gradients, stationary minima, seeded noise, clear errors."""

import numpy as np
import pytest

import landscapes
from landscapes.bspline import bicubic
from landscapes.noise import noise_spline


def _points(surface, n=200, seed=0):
    (x0, x1), (y0, y1) = surface.domain
    rng = np.random.default_rng(seed)
    return rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)


def _central_difference(surface, x, y, h=1e-6):
    gx = (surface.value(x + h, y) - surface.value(x - h, y)) / (2 * h)
    gy = (surface.value(x, y + h) - surface.value(x, y - h)) / (2 * h)
    return gx, gy


@pytest.mark.parametrize("name", landscapes.NAMES)
def test_gradient_matches_finite_difference(name):
    s = landscapes.get(name)
    x, y = _points(s)
    gx, gy = s.gradient(x, y)
    fx, fy = _central_difference(s, x, y)
    scale = 1.0 + np.abs(gx) + np.abs(gy)
    assert np.max(np.abs(gx - fx) / scale) < 1e-5
    assert np.max(np.abs(gy - fy) / scale) < 1e-5


@pytest.mark.parametrize("name", landscapes.NAMES)
def test_value_and_gradient_are_vectorised_over_any_shape(name):
    s = landscapes.get(name)
    x, y = _points(s, n=12)
    grid_x, grid_y = x.reshape(3, 4), y.reshape(3, 4)
    assert s.value(grid_x, grid_y).shape == (3, 4)
    gx, gy = s.gradient(grid_x, grid_y)
    assert gx.shape == gy.shape == (3, 4)
    np.testing.assert_allclose(s.value(grid_x, grid_y).ravel(), s.value(x, y))


@pytest.mark.parametrize("name", landscapes.NAMES)
def test_known_minima_are_stationary_and_lowest_nearby(name):
    s = landscapes.get(name)
    for mx, my in s.minima:
        gx, gy = s.gradient(np.float64(mx), np.float64(my))
        assert np.hypot(gx, gy) < 1e-6, (mx, my)
        angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
        ring = s.value(mx + 1e-3 * np.cos(angles), my + 1e-3 * np.sin(angles))
        assert np.all(ring > s.value(np.float64(mx), np.float64(my)))


def test_known_minima_match_textbook_values():
    assert landscapes.get("rosenbrock").minima == ((1.0, 1.0),)
    assert landscapes.get("beale").minima == ((3.0, 0.5),)
    assert len(landscapes.get("himmelblau").minima) == 4
    rastrigin = landscapes.get("rastrigin")
    assert (0.0, 0.0) in [tuple(np.round(m, 9) + 0.0) for m in rastrigin.minima]
    assert len(rastrigin.minima) == 121  # one local minimum near every integer point in the domain
    mm = landscapes.get("multimodal")
    best = min(mm.minima, key=lambda p: mm.value(*p))
    np.testing.assert_allclose(best, (-4.2770806, 3.1203228), atol=1e-6)


@pytest.mark.parametrize("name", landscapes.NAMES)
def test_default_start_lies_in_domain(name):
    s = landscapes.get(name)
    (x0, x1), (y0, y1) = s.domain
    assert x0 <= s.start[0] <= x1 and y0 <= s.start[1] <= y1
    assert s.label and s.description


def test_rough_surface_gradient_is_the_spline_derivative():
    s = landscapes.get("paraboloid", roughness=2.0, seed=3)
    x, y = _points(s, n=100, seed=1)
    gx, gy = s.gradient(x, y)
    fx, fy = _central_difference(s, x, y, h=1e-5)
    np.testing.assert_allclose(gx, fx, atol=1e-4)
    np.testing.assert_allclose(gy, fy, atol=1e-4)


def test_compiled_bspline_equals_scipys_spline_and_its_derivatives():
    s = landscapes.get("rosenbrock", roughness=1.0, seed=5)
    lay = s.layer
    spline = noise_spline(s.domain, 5)
    (x0, x1), (y0, y1) = s.domain
    rng = np.random.default_rng(1)
    pts = np.vstack([np.column_stack([rng.uniform(x0, x1, 500), rng.uniform(y0, y1, 500)]), [[x0, y0], [x1, y1]]])
    got = np.array([bicubic(lay.tx, lay.ty, lay.coef, x, y) for x, y in pts])
    want = np.column_stack([spline.ev(*pts.T), spline.ev(*pts.T, dx=1), spline.ev(*pts.T, dy=1)])
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


def test_rough_surface_is_seeded_and_bounded_by_roughness():
    a = landscapes.get("paraboloid", roughness=2.0, seed=7)
    b = landscapes.get("paraboloid", roughness=2.0, seed=7)
    c = landscapes.get("paraboloid", roughness=2.0, seed=8)
    clean = landscapes.get("paraboloid")
    x, y = _points(a, n=500)
    np.testing.assert_array_equal(a.value(x, y), b.value(x, y))
    assert not np.allclose(a.value(x, y), c.value(x, y))
    bump = a.value(x, y) - clean.value(x, y)
    assert bump.min() > -0.5 and bump.max() < 2.5  # uniform [0, 1) field times 2, spline overshoot small
    assert a.layer.amplitude == 2.0 and clean.layer is None  # the compiled loop adds the layer itself


def test_rough_surface_on_a_grid_equals_it_point_by_point():
    """The grid form (``landscapes.noise.field_at``) gives the very numbers of the pointwise one,
    also for a grid reaching outside the domain, and descending grids fall back to points."""
    s = landscapes.get("multimodal", roughness=1.5, seed=3)
    (x0, x1), (y0, y1) = s.domain
    for xs, ys in (
        (np.linspace(x0, x1, 60), np.linspace(y0, y1, 40)),
        (np.linspace(x0 - 1, x1 + 1, 30), np.linspace(y0, y1 + 2, 20)),
        (np.linspace(x1, x0, 25), np.linspace(y0, y1, 25)),
    ):
        xx, yy = np.meshgrid(xs, ys)
        np.testing.assert_array_equal(s.value(xx, yy), s.value(xx.ravel(), yy.ravel()).reshape(xx.shape))
    _, _, z = s.grid(50)
    assert z.shape == (50, 50) and np.isfinite(z).all()


def test_rough_field_is_flat_outside_the_domain():
    s = landscapes.get("paraboloid", roughness=2.0, seed=0)
    clean = landscapes.get("paraboloid")
    gx, gy = s.gradient(np.array([50.0]), np.array([-50.0]))
    cx, cy = clean.gradient(np.array([50.0]), np.array([-50.0]))
    np.testing.assert_allclose([gx[0], gy[0]], [cx[0], cy[0]])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "nope"}, "unknown surface 'nope'"),
        ({"name": "paraboloid", "roughness": -1}, "roughness must be between"),
        ({"name": "paraboloid", "roughness": float("nan")}, "roughness must be between"),
        ({"name": "paraboloid", "roughness": "lots"}, "roughness must be a number"),
        ({"name": "paraboloid", "seed": -3}, "seed must be an integer"),
        ({"name": "paraboloid", "seed": 1.5}, "seed must be an integer"),
    ],
)
def test_bad_arguments_are_refused_clearly(kwargs, message):
    with pytest.raises(ValueError, match=message):
        landscapes.get(**kwargs)
