"""Several rules side by side (optimizers.parallel, analysis.outcomes.run_scene) give what one run after
another gives, bit for bit: on a plain surface, with gradient noise, a rough layer, schedules, ensembles,
an own formula and a data landscape."""

from __future__ import annotations

import threading
from dataclasses import fields, replace

import numpy as np
import pytest

import i18n
import landscapes
import optimizers
from analysis.outcomes import run_rule, run_scene, surface_of
from app.state.scene import DATA, Scene, clamp_scene
from jobs.cores import usable_cores
from landscapes.data.spec import DataSpec
from landscapes.noise import roughen
from optimizers import parallel
from optimizers.schedules import Schedule

ALL = tuple(optimizers.NAMES)


def same(a, b) -> bool:
    """Equal to the bit (NaN where NaN), recursing through results, dicts and tuples."""
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray)
            and a.shape == b.shape
            and a.dtype == b.dtype
            and np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()
        )
    if isinstance(a, optimizers.RunResult):
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in fields(a) if f.name != "batches")
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def same_outcome(a, b) -> bool:
    return all(same(getattr(a, f.name), getattr(b, f.name)) for f in fields(a))


@pytest.mark.parametrize(("surface", "noise"), [("rosenbrock", 0.0), ("himmelblau", 0.7), ("multimodal", 0.2)])
def test_run_many_equals_runs_one_by_one(surface, noise):
    s = landscapes.get(surface)
    hyper = {"adam": {"lr": 0.05}, "lbfgs": {"line_search": 1.0}, "newton": {"damping": 0.5}}
    hyper = {k: v for k, v in hyper.items() if set(v) <= set(optimizers.RULES[k].defaults)}
    schedules = {"sgd": Schedule(kind="cosine"), "nadam": Schedule(kind="step", a=20.0, b=0.5)}
    many = optimizers.run_many(ALL, s, s.start, 150, hyper, schedules, grad_noise=noise, seed=11)
    assert tuple(many) == ALL
    for rule in ALL:
        one = optimizers.run(
            rule, s, s.start, 150, grad_noise=noise, seed=11, lr_schedule=schedules.get(rule), **hyper.get(rule, {})
        )
        assert same(many[rule], one), rule


def test_run_many_on_an_own_formula_and_a_rough_layer():
    scene = Scene(rules=ALL, surface="custom", formula="x**2 + 3*sin(y)**2 + 0.1*x*y", steps=120)
    scene, _ = clamp_scene(scene)
    rough = roughen(landscapes.get("himmelblau"), 0.6, 5)
    for s in (surface_of(scene), rough):
        many = optimizers.run_many(ALL, s, s.start, 120, grad_noise=0.1, seed=2)
        for rule in ALL:
            assert same(many[rule], optimizers.run(rule, s, s.start, 120, grad_noise=0.1, seed=2)), (s.name, rule)


def sequential(scene: Scene, surface) -> dict:
    return {rule: run_rule(scene, surface, rule) for rule in dict.fromkeys(scene.rules)}


@pytest.mark.parametrize(
    "scene",
    [
        Scene(rules=ALL),
        Scene(rules=ALL, grad_noise=0.4, ensemble=6, roughness=0.5, seed=9, steps=300),
        Scene(rules=("adam", "lbfgs", "sgd", "newton", "adam"), surface="rosenbrock", steps=400),
    ],
    ids=["default", "noise-ensemble-rough", "repeated-rule"],
)
def test_run_scene_side_by_side_equals_one_by_one(scene):
    surface = surface_of(scene)
    together = run_scene(scene, surface)
    alone = sequential(scene, surface)
    assert tuple(together) == tuple(alone) == tuple(dict.fromkeys(scene.rules))
    for rule in alone:
        assert same_outcome(together[rule], alone[rule]), rule


def test_run_scene_on_a_data_landscape_equals_one_by_one():
    spec = DataSpec()
    scene, _ = clamp_scene(Scene(surface=DATA, data=spec, rules=ALL, steps=60, ensemble=3))
    surface = surface_of(scene)
    together = run_scene(scene, surface)
    alone = sequential(scene, surface)
    for rule in alone:
        assert same_outcome(together[rule], alone[rule]), rule


def test_the_helpers_speak_the_callers_language():
    """Each call runs in a copy of the caller's context: the table's words are the request's language."""
    scene = Scene(rules=ALL, steps=50)
    surface = surface_of(scene)
    with i18n.use("de"):
        together = run_scene(scene, surface)
        alone = sequential(scene, surface)
    assert [o.status for o in together.values()] == [o.status for o in alone.values()]
    with i18n.use("en"):
        english = [o.status for o in run_scene(scene, surface).values()]
    assert english != [o.status for o in together.values()]  # the German words did reach the helpers


def test_call_all_keeps_order_and_raises_the_first_error():
    def fail(i):
        def call():
            raise ValueError(f"call {i}")

        return call

    assert parallel.call_all([lambda i=i: i * i for i in range(40)]) == [i * i for i in range(40)]
    calls = [lambda: 1, fail(1), lambda: 2, fail(3)]
    with pytest.raises(ValueError, match="call 1"):
        parallel.call_all(calls)
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimizers.run_many(["adam", "no-such-rule"], landscapes.get("rosenbrock"), (0.0, 0.0), 10)


def test_one_pool_for_every_caller_sized_by_the_cores():
    """Many callers at once (gunicorn's threads) share one pool of usable_cores() - 1 helpers."""
    s = landscapes.get("rosenbrock")
    results, errors = [], []

    def request():
        try:
            results.append(optimizers.run_many(("adam", "sgd", "lbfgs"), s, s.start, 100))
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=request) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    pool, size = parallel.helpers()
    assert size == usable_cores() - 1
    assert parallel.helpers()[0] is pool
    if pool is not None:
        assert pool._max_workers == size
    names = [t.name for t in threading.enumerate() if t.name.startswith("engine-helper")]
    assert len(names) <= size
    first = results[0]
    assert all(same(r, first) for r in results)


def test_repeated_rules_in_the_scene_run_once():
    scene = replace(Scene(rules=("adam", "adam", "sgd")), steps=30)
    assert tuple(run_scene(scene)) == ("adam", "sgd")


def test_a_forked_child_makes_its_own_pool():
    """gunicorn's workers fork from a master that may have used the pool: the child's runs still finish
    (with helpers of its own), with the same results."""
    import multiprocessing

    s = landscapes.get("himmelblau")
    expected = optimizers.run_many(ALL, s, s.start, 200)  # the parent's pool exists now
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as child:
        got = child.apply(_child_runs, (s.name,))
    assert got[1] == parallel.helpers()[1]  # the child's helper threads are alive (the parent's are not there)
    for rule in ALL:
        assert same(got[0][rule].path, expected[rule].path), rule


def _child_runs(name: str):
    s = landscapes.get(name)
    runs = optimizers.run_many(ALL, s, s.start, 200)
    alive = sum(t.name.startswith("engine-helper") and t.is_alive() for t in threading.enumerate())
    return {r: replace(res, batches=None) for r, res in runs.items()}, alive
