"""Ensembles of noisy runs: one batched call, a cloud on the contour map, a median and band on the loss chart."""

import numpy as np

from analysis import outcomes as compute
from app.runs import figures
from app.state.link import query_to_scene
from app.state.scene import Scene, clamp_scene


def _run(**kw):
    scene, notices = clamp_scene(Scene(**kw))
    surface = compute.surface_of(scene)
    return scene, surface, compute.run_scene(scene, surface), notices


def test_the_ensembles_first_run_is_the_single_run_and_the_others_differ():
    _, _, out, _ = _run(surface="multimodal", rules=("sgd",), grad_noise=0.5, ensemble=30, steps=200)
    e = out["sgd"].ensemble
    assert e.path.shape == (201, 30, 2)
    np.testing.assert_array_equal(e.path[:, 0], out["sgd"].result.path)
    assert len({tuple(np.round(e.path[-1, i], 6)) for i in range(30)}) == 30


def test_no_ensemble_without_gradient_noise_and_work_is_capped():
    _, _, out, _ = _run(rules=("sgd",), ensemble=30, steps=100)
    assert out["sgd"].ensemble is None
    scene, _, _, notices = _run(rules=("sgd",), grad_noise=0.1, ensemble=200, steps=20_000)
    assert scene.ensemble == 20 and "too much work" in notices[0]
    assert query_to_scene("?gnoise=0.5&ens=40&opt=adam")[0].ensemble == 40


def test_band_is_the_10_50_90_percentiles_of_the_runs_losses():
    scene, surface, out, _ = _run(surface="paraboloid", rules=("adam",), grad_noise=1.0, ensemble=50, steps=100)
    o = out["adam"]
    steps, p10, med, p90 = figures.ensemble_band(o)
    np.testing.assert_allclose(med, np.median(o.ensemble.loss[steps], axis=1))
    np.testing.assert_allclose(p10, np.percentile(o.ensemble.loss[steps], 10, axis=1))
    assert (p10 <= med).all() and (med <= p90).all() and (p10 < p90).any()
    loss = figures.loss_figure(surface, out, scene)["data"]
    i = figures.loss_trace_index("adam", out)
    low, high, median = loss[i + 3], loss[i + 4], loss[i + 5]
    assert low["name"] == "Adam 10 %" and "fill" not in low  # the band's lower edge: the upper one fills to it
    assert high["fill"] == "tonexty" and "10-90 % of 50 seeds" in high["name"] and "median" in median["name"]
    cloud = figures.contour_figure(surface, out, scene)["data"][figures.rule_trace_index("adam", out) + 3]
    assert cloud["meta"]["cloud"] and cloud["opacity"] < 0.5 and "50 noise seeds" in cloud["name"]
