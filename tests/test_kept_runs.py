"""Each web worker keeps its last runs (``app.runs.kept_runs``): a kept run is the run itself, kept
under everything it depends on and nothing else; ensembles are never kept; kept arrays are read-only."""

from dataclasses import replace

import numpy as np
import pytest

import i18n
from analysis.events import events_of
from analysis.outcomes import run_scene, surface_of
from app.runs import kept_runs
from app.state.scene import Scene


@pytest.fixture
def counted(monkeypatch):
    """The rules actually run (not served from the kept ones), in order."""
    kept_runs.forget()
    ran = []
    real = kept_runs._run
    monkeypatch.setattr(kept_runs, "_run", lambda scene, surf, rule: ran.append(rule) or real(scene, surf, rule))
    yield ran
    kept_runs.forget()


def _same(a, b) -> None:
    assert a.keys() == b.keys()
    for rule in a:
        oa, ob = a[rule], b[rule]
        np.testing.assert_array_equal(oa.result.path, ob.result.path)
        np.testing.assert_array_equal(oa.result.loss, ob.result.loss)
        assert (oa.status, oa.final_loss, oa.converged_at, oa.nearest_minimum) == (
            ob.status,
            ob.final_loss,
            ob.converged_at,
            ob.nearest_minimum,
        )


def test_kept_runs_are_the_runs_and_events_of_the_scene(counted):
    scene = Scene(surface="himmelblau", steps=400, roughness=0.3, seed=3, hyper={"adam": {"lr": 0.05}})
    surf = surface_of(scene)
    outcomes, events = kept_runs.runs(scene, surf)
    reference = run_scene(scene, surf)
    _same(outcomes, reference)
    assert events == {r: events_of(o, surf) for r, o in reference.items()}
    again, events_again = kept_runs.runs(scene, surf)
    assert sorted(counted) == sorted(scene.rules)  # the second time, none ran
    assert all(again[r] is outcomes[r] for r in scene.rules) and events_again == events
    assert list(outcomes) == list(scene.rules)  # in the scene's order


def test_one_rules_setting_runs_that_rule_alone_and_the_view_does_not_count(counted):
    base = Scene(surface="rosenbrock", steps=300)
    kept_runs.runs(base, surface_of(base))
    assert len(counted) == len(base.rules)
    counted.clear()
    moved = replace(base, hyper={"momentum": {"lr": 0.0007}}, step=120, inspect="adam")
    outcomes, _ = kept_runs.runs(moved, surface_of(moved))
    assert counted == ["momentum"]
    _same(outcomes, run_scene(moved, surface_of(moved)))
    counted.clear()
    fewer = replace(base, rules=("adam", "sgd"), step=7)  # other rules off, another step shown
    kept_runs.runs(fewer, surface_of(fewer))
    assert counted == []


@pytest.mark.parametrize(
    "change",
    [
        {"surface": "beale"},
        {"steps": 301},
        {"seed": 4, "roughness": 0.2},
        {"start": (-1.0, 2.0)},
        {"hyper": {"adam": {"lr": 0.02}}},
        {"grad_noise": 0.5},
    ],
)
def test_what_a_run_depends_on_runs_it_again(counted, change):
    base = Scene(surface="rosenbrock", steps=300, rules=("adam",))
    kept_runs.runs(base, surface_of(base))
    changed = replace(base, **change)
    outcomes, _ = kept_runs.runs(changed, surface_of(changed))
    assert counted == ["adam", "adam"]
    _same(outcomes, run_scene(changed, surface_of(changed)))


def test_texts_are_kept_per_language(counted):
    scene = Scene(surface="paraboloid", steps=200, rules=("sgd",), hyper={"sgd": {"lr": 1.5}})  # diverges
    with i18n.use("en"):
        en, _ = kept_runs.runs(scene, surface_of(scene))
    with i18n.use("de"):
        de, _ = kept_runs.runs(scene, surface_of(scene))
    assert counted == ["sgd", "sgd"] and en["sgd"].status != de["sgd"].status


def test_ensembles_are_run_each_time_and_kept_arrays_are_read_only(counted):
    noisy = Scene(surface="himmelblau", steps=200, rules=("sgd",), grad_noise=1.0, ensemble=5)
    first, _ = kept_runs.runs(noisy, surface_of(noisy))
    kept_runs.runs(noisy, surface_of(noisy))
    assert counted == ["sgd", "sgd"] and first["sgd"].ensemble is not None
    single = replace(noisy, ensemble=0)
    outcomes, _ = kept_runs.runs(single, surface_of(single))
    with pytest.raises(ValueError, match="read-only"):
        outcomes["sgd"].result.path[0, 0] = 1.0
