"""The work budget prices L-BFGS at its settings: its history and its line search, which may evaluate
the surface up to 1 + max_eval times a step, so that no setting buys unpriced work."""

from __future__ import annotations

import numpy as np
import pytest

import landscapes
import optimizers
from app.serving import budget
from app.state.scene import Scene, clamp_scene

DEAR = {"line_search": 1.0, "max_eval": 100.0, "history_size": 1000.0}


@pytest.mark.parametrize("max_eval", [1.0, 3.0, 25.0])
@pytest.mark.parametrize("surface_name, start", [("rosenbrock", (-1.5, 2.5)), ("rastrigin", (2.2, -1.3))])
def test_no_step_evaluates_more_than_the_budget_prices(surface_name, start, max_eval):
    s = landscapes.get(surface_name)
    rule = optimizers.RULES["lbfgs"]
    for line_search in (0.0, 1.0):
        hyper = {"line_search": line_search, "max_eval": max_eval}
        _, most = rule.step_work(hyper, 60)
        for noise in (0.0, 5.0):
            r = optimizers.run("lbfgs", s, start, 60, grad_noise=noise, seed=1, **hyper)
            assert r.state["evals"][1:, 0].max() <= most
        if line_search:
            assert most == 1 + max_eval
        else:
            assert most == 1 and r.state["evals"][1:, 0].max() == 1


def test_a_max_eval_search_from_a_tight_bracket_uses_every_evaluation():
    """The bound is reached: a noisy closure keeps the zoom from meeting the Wolfe conditions."""
    s = landscapes.get("rastrigin")
    r = optimizers.run("lbfgs", s, (2.2, -1.3), 200, grad_noise=20.0, seed=3, line_search=1.0, max_eval=4.0)
    assert r.state["evals"][1:, 0].max() == 5


def test_the_budget_grows_with_max_eval_history_and_steps():
    s = landscapes.get("multimodal")
    plain = budget.seconds(["lbfgs"], 2000, 0, s, "", 0.0, 0.0)
    searching = budget.seconds(["lbfgs"], 2000, 0, s, "", 0.0, 0.0, {"lbfgs": {"line_search": 1.0, "max_eval": 25.0}})
    dear = budget.seconds(["lbfgs"], 2000, 0, s, "", 0.0, 0.0, {"lbfgs": DEAR})
    assert dear > searching > 3 * plain
    assert searching - plain >= 2000 * 25 * budget.SURFACE_NS / 1e9  # 25 more evaluations a step, each priced
    # max_eval alone does nothing without the line search (torch evaluates once a step then)
    assert budget.seconds(["lbfgs"], 2000, 0, s, "", 0.0, 0.0, {"lbfgs": {"max_eval": 100.0}}) == plain
    # a short run cannot fill a long history
    assert budget.step_ns(["lbfgs"], s, "", 0.0, 0.0, 10, {"lbfgs": DEAR}) < budget.step_ns(
        ["lbfgs"], s, "", 0.0, 0.0, 2000, {"lbfgs": DEAR}
    )
    # other rules' prices do not change with settings they do not read
    assert budget.seconds(["adam"], 2000, 0, s, "", 0.0, 0.0, {"adam": {"lr": 0.5}}) == budget.seconds(
        ["adam"], 2000, 0, s, "", 0.0, 0.0
    )


def test_a_dear_lbfgs_scene_is_reduced_and_says_so():
    asked = Scene(rules=("lbfgs", "adam"), steps=20_000, grad_noise=2.0, ensemble=200, hyper={"lbfgs": DEAR})
    scene, notices = clamp_scene(asked)
    assert scene.hyper_of("lbfgs")["max_eval"] == 100.0  # the settings stay; the work is cut
    assert any("more work than one request may do" in n for n in notices), notices
    cost = budget.seconds(
        scene.rules,
        scene.steps,
        scene.ensemble,
        scene.clean_surface(),
        scene.formula,
        scene.roughness,
        scene.grad_noise,
        scene.hyper,
    )
    assert cost <= budget.BUDGET_SECONDS
    cheap, _ = clamp_scene(Scene(rules=("lbfgs", "adam"), steps=20_000, grad_noise=2.0, ensemble=200))
    assert (scene.steps, scene.ensemble) < (cheap.steps, cheap.ensemble)


def test_the_small_multiples_price_lbfgs_settings():
    from app.explore.jobs import compare_scenes
    from app.state.link import scene_to_query

    base = Scene(rules=("lbfgs",), steps=20_000, hyper={"lbfgs": DEAR})
    subs, notes = compare_scenes(scene_to_query(clamp_scene(base)[0]), ["rastrigin", "multimodal"])
    total = sum(
        budget.seconds(s.rules, s.steps, s.ensemble, s.clean_surface(), s.formula, s.roughness, s.grad_noise, s.hyper)
        for s in subs
    )
    assert total <= budget.BUDGET_SECONDS and any("side by side" in n for n in notes), notes
    assert np.all([s.hyper_of("lbfgs")["max_eval"] == 100.0 for s in subs])


def test_a_basin_map_job_is_priced_at_its_rule_settings():
    """A job's runs are priced like a request's, at worst: ordinary maps keep their steps; L-BFGS searching
    with max_eval 100 on a noisy surface, or Newton on a rough one (the Python loop), get fewer, said."""
    from app.explore.jobs import JOB_SECONDS, basin_job, sweep_job
    from app.state.link import scene_to_query

    plain = scene_to_query(clamp_scene(Scene())[0])
    job, notices = basin_job("adam", 200, 2000, plain)
    assert job.steps == 2000 and not notices
    job, notices = basin_job("lbfgs", 200, 2000, plain)
    assert job.steps == 2000 and not notices
    dear = scene_to_query(clamp_scene(Scene(rules=("lbfgs",), grad_noise=1.0, hyper={"lbfgs": DEAR}))[0])
    job, notices = basin_job("lbfgs", 200, 2000, dear)
    assert job.steps < 2000 and any("more work than a job may do" in n for n in notices), notices
    surface = job.scene.clean_surface()
    runs = 200 * 200
    one = budget.seconds(["lbfgs"], job.steps, 0, surface, "", 0.0, 1.0, {"lbfgs": job.scene.hyper_of("lbfgs")})
    assert one * runs / 2 <= JOB_SECONDS
    rough = scene_to_query(clamp_scene(Scene(rules=("newton",), roughness=1.0))[0])
    job, notices = basin_job("newton", 200, 2000, rough)
    assert job.steps < 2000 and notices
    sweep, notices = sweep_job("newton", None, 0.01, 1.0, 0, 0, 40, 5000, rough)
    assert sweep.steps < 5000 and any("more work than a job may do" in n for n in notices), notices
    sweep, notices = sweep_job("lbfgs", None, 0.01, 1.0, 0, 0, 40, 300, dear)
    assert sweep.steps == 300 and not notices
