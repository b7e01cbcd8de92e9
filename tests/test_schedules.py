"""Learning-rate schedules: the multipliers, and runs against torch.optim.lr_scheduler."""

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers.schedules import KINDS, Schedule, default, multipliers
from tests.reference_torch import torch_path

TORCH_SCHEDULERS = {
    "step": lambda t, s, steps: lambda opt: t.optim.lr_scheduler.StepLR(opt, step_size=int(s.a), gamma=s.b),
    "exponential": lambda t, s, steps: lambda opt: t.optim.lr_scheduler.ExponentialLR(opt, gamma=s.b),
    "cosine": lambda t, s, steps: (
        lambda opt: t.optim.lr_scheduler.CosineAnnealingLR(
            opt, T_max=int(s.a) or steps, eta_min=s.b * opt.param_groups[0]["lr"]
        )
    ),
    "warmup": lambda t, s, steps: (
        lambda opt: t.optim.lr_scheduler.LinearLR(opt, start_factor=s.b, end_factor=1.0, total_iters=int(s.a))
    ),
}
CASES = [
    Schedule("step", 40, 0.5),
    Schedule("exponential", 0, 0.98),
    Schedule("cosine", 0, 0.0),
    Schedule("cosine", 60, 0.1),
    Schedule("warmup", 50, 0.1),
]


def test_multipliers_by_hand():
    np.testing.assert_allclose(multipliers(Schedule("step", 2, 0.5), 5), [1, 1, 0.5, 0.5, 0.25])
    np.testing.assert_allclose(multipliers(Schedule("exponential", 0, 0.9), 3), [1, 0.9, 0.81])
    np.testing.assert_allclose(multipliers(Schedule("cosine", 4, 0.0), 5), [1, 0.8535534, 0.5, 0.1464466, 0])
    np.testing.assert_allclose(multipliers(Schedule("warmup", 4, 0.2), 6), [0.2, 0.4, 0.6, 0.8, 1, 1])
    assert set(KINDS) == {"constant", "step", "exponential", "cosine", "warmup"}
    np.testing.assert_array_equal(multipliers(default("constant"), 3), 1.0)
    with pytest.raises(ValueError, match="unknown schedule"):
        multipliers(Schedule("sawtooth"), 3)


@pytest.mark.parametrize("schedule", CASES, ids=lambda s: f"{s.kind}-{s.a:g}-{s.b:g}")
@pytest.mark.parametrize("rule", ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "adadelta", "radam"])
def test_scheduled_runs_match_torch(rule, schedule):
    torch = pytest.importorskip("torch")
    surface = landscapes.get("multimodal")
    steps = 200
    hyper = dict(optimizers.RULES[rule].defaults)
    ours = optimizers.run(rule, surface, (-2.0, 2.0), steps, lr_schedule=schedule, **hyper)
    ref = torch_path(
        torch,
        rule,
        surface,
        (-2.0, 2.0),
        steps,
        hyper,
        scheduler=TORCH_SCHEDULERS[schedule.kind](torch, schedule, steps),
    )
    np.testing.assert_allclose(ours.path, ref, rtol=1e-9, atol=1e-11)
    assert not np.allclose(ours.path, optimizers.run(rule, surface, (-2.0, 2.0), steps, **hyper).path)


def test_schedules_live_in_the_link_and_are_clamped():
    from app.state.link import query_to_scene, scene_to_query

    scene, notices = query_to_scene("?opt=adam,sgd&adam.sched=cosine:0:0.1&sgd.sched=warmup:40.6:0")
    assert notices == [
        "sgd schedule warm-up (steps): 40.6 is not a whole number; using 41.",  # a period is whole steps
        "sgd schedule start (× lr): 0 is outside [0.001, 1]; using 0.001.",
    ]
    assert scene.schedules == {"adam": Schedule("cosine", 0.0, 0.1), "sgd": Schedule("warmup", 41.0, 0.001)}
    assert "adam.sched=cosine:0.0:0.1" in scene_to_query(scene)
    assert query_to_scene(scene_to_query(scene)) == (scene, [])
    assert query_to_scene("?adam.sched=saw")[1] == ["adam schedule: 'saw' is unknown; using a constant learning rate."]


def test_the_learning_rate_chart_shows_each_scheduled_optimizer():
    from analysis import outcomes as compute
    from app.runs import figures
    from app.state.scene import Scene, clamp_scene

    scene, _ = clamp_scene(Scene(rules=("sgd", "adam"), steps=100, schedules={"adam": Schedule("step", 10, 0.5)}))
    fig = figures.lr_figure(compute.run_scene(scene), scene)
    (trace,) = fig["data"]
    assert trace["name"] == "Adam: step decay" and trace["meta"]["rule"] == "adam"
