"""The fast paths behind data landscapes' speed give the straightforward computation's answers: events
that look at the gradient only as far as needed, the tanh unit's separable grid, the main view's loss."""

import base64

import numpy as np
import pytest

from analysis import events
from analysis import outcomes as compute
from analysis.events import GRAD_TOL, MAX_CHECKED_POINTS, _grad_norm
from analysis.numbers import fmt
from app.state.scene import DATA, Scene, clamp_scene
from landscapes.data.spec import DataSpec


def _run(**kw):
    scene, _ = clamp_scene(Scene(**kw))
    surface = compute.surface_of(scene)
    return scene, surface, compute.run_scene(scene, surface)


def _converged_reference(o, surface):
    """The first step from ``converged_at`` on with a small gradient: every gradient at once."""
    k = o.converged_at
    if k is None or o.result.diverged_at is not None:
        return None
    path = o.result.path
    g0 = float(_grad_norm(surface, path[:1])[0])
    small = np.flatnonzero(_grad_norm(surface, path[k:]) <= GRAD_TOL * max(1.0, g0))
    return k + int(small[0]) if small.size else None


def _stalled_reference(o, surface):
    """The stall check with the gradient at every checked point."""
    n = o.points
    stride = max(1, -(-n // MAX_CHECKED_POINTS))
    path = o.result.path[:n:stride]
    grad = _grad_norm(surface, path)
    window = max(1, events.STALL_WINDOW // stride)
    if path.shape[0] <= window:
        return None
    moved = np.hypot(*np.diff(path, axis=0).T)
    slow = moved < 1e-4 * surface.span() * stride
    run = np.convolve(slow.astype(int), np.ones(window, dtype=int), mode="valid") == window
    far = surface.nearest_minimum(path)[1]
    ok = run & (grad[: run.size] <= GRAD_TOL * max(1.0, float(grad[0]))) & (far[: run.size] > compute.CONVERGE_TOL)
    idx = np.flatnonzero(ok)
    return int(idx[0]) * stride if idx.size else None


SCENES = [
    {"surface": "paraboloid", "rules": ("sgd", "adam"), "steps": 600},
    {"surface": "saddle", "start": (0.5, 0.0), "rules": ("sgd",), "hyper": {"sgd": {"lr": 0.05}}},
    {"surface": "rosenbrock", "rules": ("sgd", "adam", "momentum")},
    {"surface": DATA, "data": DataSpec(model="tanh", n=300), "rules": ("sgd", "adam", "rmsprop")},
    {"surface": DATA, "data": DataSpec(model="linear", n=300, batch=300), "rules": ("sgd", "adam")},
    {"surface": DATA, "data": DataSpec(model="logistic", n=300, lam=0.1), "rules": ("adam", "momentum")},
]


@pytest.mark.parametrize("kw", SCENES)
def test_events_look_at_gradients_lazily_with_the_same_answers(kw):
    _, surface, out = _run(**kw)
    seen = set()
    for o in out.values():
        conv = events._converged_at(o, surface)
        assert conv == _converged_reference(o, surface)
        n = o.points
        stride = max(1, -(-n // MAX_CHECKED_POINTS))
        stalled = events._stalled_at(o, surface, o.result.path[:n:stride], stride)
        assert stalled == _stalled_reference(o, surface)
        seen.add((conv is not None, stalled is not None))
    assert seen  # (the saddle scene stalls, the paraboloid converges: both branches are exercised below)


def test_the_checked_scenes_cover_a_convergence_and_a_stall():
    kinds = set()
    for kw in SCENES[:2]:
        _, surface, out = _run(**kw)
        for o in out.values():
            kinds |= {e.kind for e in events.events_of(o, surface)}
    assert {"converged", "stalled"} <= kinds


def _data_scene(model="logistic", n=400, **kw):
    return _run(surface=DATA, data=DataSpec(model=model, n=n), **kw)


def _full(surface, result):
    """Every step's full-data objective, straight from the path (NaN where the path is not finite)."""
    path = result.path
    ok = np.isfinite(path).all(axis=1)
    out = np.full(path.shape[0], np.nan)
    out[ok] = surface.value(path[ok, 0], path[ok, 1])
    return out


def test_the_main_view_takes_the_full_data_loss_on_thinned_steps_and_fills_any_step_exactly():
    scene, surface, out = _data_scene(rules=("sgd", "adam"))
    every = compute.loss_every_for(surface, scene.steps)
    assert every > 1  # logistic regression: N samples a step, so thinned
    for o in out.values():
        r = o.result
        assert r.loss_every == every
        exact = _full(surface, r)
        taken = np.arange(0, scene.steps + 1, every)
        np.testing.assert_allclose(r.loss[taken], exact[taken], rtol=1e-12)
        assert np.isnan(r.loss[1])  # not taken
        np.testing.assert_allclose(compute.exact_loss(r, surface, np.arange(scene.steps + 1)), exact, rtol=1e-12)
        assert o.final_loss == pytest.approx(exact[o.points - 1], rel=1e-12)
    # the same run with the loss at every step: the same path, the same numbers
    full = compute.optimizers.run(
        "adam", surface, scene.start_point(), scene.steps, seed=scene.seed, **scene.hyper_of("adam")
    )
    np.testing.assert_array_equal(full.path, out["adam"].result.path)
    np.testing.assert_allclose(full.loss, _full(surface, full), rtol=1e-12)


def test_animations_read_every_steps_loss_exactly_on_a_thinned_data_run():
    """The GIF/MP4 and offline HTML take the loss at steps of their own: they get it exact everywhere
    (``with_exact_loss``), not NaN between the steps the main view took."""
    from animate import offline

    scene, surface, out = _data_scene(rules=("sgd", "adam"))
    filled = compute.with_exact_loss(out, surface)
    for rule, o in filled.items():
        np.testing.assert_allclose(o.result.loss[: o.points], _full(surface, out[rule].result)[: o.points], rtol=1e-12)
    fig = offline.figure(scene, frames=10)
    loss_lines = [t for t in fig["data"] if t.get("yaxis") == "y2" and t.get("mode") == "lines"]
    assert loss_lines and all(np.isfinite(np.asarray(_decoded(t["y"]))).all() for t in loss_lines)


def _decoded(values):
    """A trace's numbers as written (a list, or Plotly's typed array ``{dtype, bdata}``)."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values, dtype=float)


def test_linear_regression_and_analytic_surfaces_keep_every_step():
    _, _, out = _data_scene(model="linear")
    assert all(o.result.loss_every == 1 and np.isfinite(o.result.loss).all() for o in out.values())
    _, _, out = _run(surface="paraboloid", rules=("sgd",))
    assert out["sgd"].result.loss_every == 1


def test_a_diverged_data_run_knows_its_last_finite_loss():
    scene, surface, out = _data_scene(model="tanh", rules=("sgd",), hyper={"sgd": {"lr": 10.0}}, steps=2000)
    o = out["sgd"]
    d = o.result.diverged_at
    assert d is not None and o.result.loss_every > 1
    exact = _full(surface, o.result)
    assert o.final_loss == pytest.approx(exact[o.points - 1], rel=1e-12)
    # with the loss at the first and last steps only, the points either side of the divergence are known
    thin = compute.optimizers.run("sgd", surface, scene.start_point(), 2000, seed=scene.seed, lr=10.0, loss_every=0)
    assert thin.diverged_at == d
    np.testing.assert_allclose(thin.loss[[0, d - 1, d]], exact[[0, d - 1, d]], rtol=1e-12)


def test_figures_inspector_and_exports_show_exact_full_data_losses():
    from analysis.inspector import state_at
    from app.export.formats import to_csv, to_json
    from app.runs import figures

    scene, surface, out = _data_scene(rules=("sgd", "adam"), steps=900)
    o = out["adam"]
    exact = _full(surface, o.result)
    fig = figures.loss_figure(surface, out, scene)
    line = next(t for t in fig["data"] if t.get("name") == "Adam" and t.get("mode") == "lines")
    y = np.frombuffer(base64.b64decode(line["y"]["bdata"]), dtype=np.float32)  # float32 on the wire
    s = line["dx"]
    assert s % o.result.loss_every == 0 and "1 step in" in fig["layout"]["title"]["subtitle"]["text"]
    assert np.isfinite(y).all()
    np.testing.assert_allclose(y, exact[: o.points : s], rtol=1e-6)
    k = 7  # not a step the run took its loss at
    assert np.isnan(o.result.loss[k])
    assert dict(state_at(o, k, surface)["rows"])["loss"] == fmt(exact[k])
    csv = to_csv(out, surface).splitlines()
    rows = [line.split(",") for line in csv if line.startswith(f"{k},adam,")]
    assert float(rows[0][4]) == pytest.approx(exact[k], rel=1e-12)
    import json

    doc = json.loads(to_json(scene, out, surface))
    np.testing.assert_allclose(doc["results"]["adam"]["loss"], exact[: o.points], rtol=1e-12)


def test_a_data_surface_keeps_its_grids_and_hands_out_copies():
    from dataclasses import replace

    _, surface, _ = _data_scene(rules=())
    xs, ys, z = surface.grid(30)
    z[:] = 0.0  # the caller's copy
    again = replace(surface, seed=5)  # a scene's surface is rebuilt around the same problem
    xs2, ys2, z2 = again.grid(30)
    np.testing.assert_array_equal(ys2, ys)
    assert again.problem is surface.problem and ("_grids" in surface.problem.__dict__)
    np.testing.assert_array_equal(xs2, xs)
    np.testing.assert_allclose(z2[4, 6], surface.value(xs[6], ys[4]), rtol=1e-12)
    assert np.all(z2 != 0.0)
    import pickle

    assert "_grids" not in pickle.loads(pickle.dumps(surface.problem)).__dict__


def test_a_setting_change_resends_that_optimizers_batch_loss_overlay():
    """The patched loss chart (only Adam's traces sent) equals the chart drawn in full for the new setting."""
    from app.runs.callbacks import _main_figures

    def loss_chart(lr, patched):
        scene, surface, out = _data_scene(rules=("sgd", "adam"), hyper={"adam": {"lr": lr}}, steps=400)
        return _main_figures(out, surface, scene, {}, [], patched)["loss_figure"]

    before, after = loss_chart(0.05, None), loss_chart(0.2, None)
    patch = loss_chart(0.2, "adam").to_plotly_json()["operations"]
    patched = {**before, "data": list(before["data"])}
    for op in patch:
        assert op["operation"] == "Assign" and op["location"][0] == "data"
        patched["data"][op["location"][1]] = op["params"]["value"]
    names = [t.get("name") for t in after["data"]]
    overlay = names.index("Adam: batch loss")
    assert patched["data"][overlay] != before["data"][overlay]  # the old setting's batch losses are replaced
    assert patched["data"] == after["data"]
    assert patched["layout"]["shapes"] == after["layout"]["shapes"]  # the epochs stay right (same batches)


def _contour(batch_surface: bool, step: int = 0):
    from app.runs.callbacks import _main_figures

    scene, surface, out = _run(
        surface=DATA, data=DataSpec(model="tanh", n=150, batch=16, batch_surface=batch_surface), steps=60, step=step
    )
    return scene, surface, out, _main_figures(out, surface, scene, {}, [], None)["contour_figure"]


def _batch_loss_reference(surface, rows, w1, w2):
    """1/B Σ_{i∈B} (w₂·tanh(w₁xᵢ) − yᵢ)², straight from the samples (no regulariser in this scene)."""
    x, y = surface.problem.X[rows, 0], surface.problem.y[rows]
    pred = w2[..., None] * np.tanh(w1[..., None] * x)
    return np.mean((pred - y) ** 2, axis=-1)


def test_the_batch_surface_is_drawn_only_on_request_with_the_batchs_exact_loss():
    from app.data.figures import BATCH_GRID, batch_surface_index

    _, _, _, plain = _contour(False)
    assert not any((t.get("meta") or {}).get("role") == "batch_surface" for t in plain["data"])
    _, surface, out, fig = _contour(True, step=23)
    trace = fig["data"][batch_surface_index(out)]
    assert trace["type"] == "contour" and trace["meta"] == {"role": "batch_surface", "step": 23}
    rows = out["sgd"].result.batches.indices(23, 0)
    assert "step 23's batch (B = 16)" in trace["name"]
    z = np.frombuffer(base64.b64decode(trace["z"]["bdata"]), dtype=np.float32).reshape(BATCH_GRID, BATCH_GRID)
    (x0, x1), (y0, y1) = surface.domain
    w1, w2 = np.meshgrid(np.linspace(x0, x1, BATCH_GRID), np.linspace(y0, y1, BATCH_GRID))
    np.testing.assert_allclose(z, _batch_loss_reference(surface, rows, w1, w2), rtol=1e-6)
    assert len(fig["data"]) == len(plain["data"]) + 1


def test_the_paused_scrubber_moves_the_batch_surface_to_its_step():
    from dash import Patch

    from app.data.figures import batch_surface_index, patch_batch_surface

    scene, surface, out, _ = _contour(True, step=5)
    patch = Patch()
    patch_batch_surface(patch, out, surface, scene)
    (op,) = patch.to_plotly_json()["operations"]
    assert op["location"] == ["data", batch_surface_index(out)] and op["params"]["value"]["meta"]["step"] == 5
    scene_off, surface_off, out_off, _ = _contour(False, step=5)
    quiet = Patch()
    patch_batch_surface(quiet, out_off, surface_off, scene_off)
    assert quiet.to_plotly_json()["operations"] == []


def test_the_batch_surface_setting_travels_in_the_link_and_reuses_the_surface():
    from dataclasses import replace

    from app.state.link import query_to_scene, scene_to_query
    from landscapes.data.spec import spec_surface

    scene, surface, _, _ = _contour(True)
    assert "batchsurf=1" in scene_to_query(scene)
    assert query_to_scene(scene_to_query(scene))[0].data.batch_surface is True
    off = spec_surface(replace(scene.data, batch_surface=False))
    assert np.shares_memory(off.problem.X, surface.problem.X) and off.minima == surface.minima  # one search


def test_the_work_budget_counts_the_thinned_full_data_loss():
    """N = 10,000 with the full-data loss every step would be ~8 s of work (cut to ~100 steps); taken on
    thinned steps it fits the request's budget with all 2,000 steps."""
    from app.serving import budget

    scene, notices = clamp_scene(Scene(surface=DATA, data=DataSpec(model="tanh", n=10_000)))
    assert scene.steps == 2000 and not [n for n in notices if "more work" in n]
    surface = scene.clean_surface()
    thinned = budget.step_ns(scene.rules, surface, "", 0.0, 0.0, 2000)
    every_step = budget.step_ns(scene.rules, surface, "", 0.0, 0.0, 1)
    assert thinned * compute.loss_every_for(surface, 2000) > every_step > 10 * thinned
