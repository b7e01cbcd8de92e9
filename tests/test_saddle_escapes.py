"""Saddle escapes (``analysis.events._saddle_escapes``) are found as the saddle-by-saddle definition
finds them, also where a run passes near many saddles (Rastrigin's 220) and takes the k-d tree path."""

import numpy as np
import pytest

from analysis import events
from analysis.outcomes import run_rule, surface_of
from app.state.scene import Scene
from landscapes.surface import distance


def reference(surface, path: np.ndarray, stride: int) -> list:
    """The definition, saddle by saddle: within ``near`` for ``dwell`` points in a row, then beyond ``2 near``."""
    saddles = surface.saddles_array()
    near = events.NEAR_SADDLE * surface.span()
    dwell = max(1, events.SADDLE_DWELL // stride)
    out = []
    for j in range(saddles.shape[0]):
        with np.errstate(invalid="ignore"):
            dj = distance(path, saddles[j])
        close = dj <= near
        held = [k for k in range(len(path) - dwell + 1) if close[k : k + dwell].all()]
        if not held:
            continue
        after = np.flatnonzero(dj[held[0] :] > 2 * near)
        if after.size:
            out.append(((held[0] + int(after[0])) * stride, (float(saddles[j, 0]), float(saddles[j, 1]))))
    return sorted(out)[:3]


STARTS = {"monkey_saddle": (0.05, 0.01), "saddle": (0.5, 1e-3)}  # near the saddle: some runs linger there


def _runs(surface: str, lrs, steps: int = 600):
    for lr in lrs:
        for rule in ("sgd", "momentum", "adam"):
            hyper = {rule: {"lr": lr}}
            scene = Scene(surface=surface, steps=steps, rules=(rule,), hyper=hyper, start=STARTS.get(surface))
            surf = surface_of(scene)
            yield surf, run_rule(scene, surf, rule)


@pytest.mark.parametrize("surface", ["rastrigin", "multimodal", "saddle", "monkey_saddle"])
def test_escapes_equal_the_saddle_by_saddle_definition(surface):
    found = 0
    for surf, o in _runs(surface, (0.003, 0.02, 0.1, 0.3)):
        path = o.result.path[: o.points]
        for stride in (1, 2, 7):
            p = path[::stride]
            got = events._saddle_escapes(o, surf, p, stride)
            assert got == reference(surf, p, stride)
            found += bool(got)
    assert found  # some runs do escape saddles here


def test_many_saddles_with_gaps_and_short_paths():
    scene = Scene(surface="rastrigin", steps=400, rules=("sgd",), hyper={"sgd": {"lr": 0.1}})
    surf = surface_of(scene)
    o = run_rule(scene, surf, "sgd")
    rng = np.random.default_rng(0)
    lo, hi = np.array(surf.domain).T
    for trial in range(40):
        n = int(rng.integers(1, 300))
        # a walk that lingers: small steps with now and then a jump, NaN after a point sometimes
        steps = rng.normal(scale=rng.choice([0.01, 0.2, 1.0]), size=(n, 2))
        steps[rng.random(n) < 0.05] *= 20
        path = lo + (hi - lo) * rng.random(2) + np.cumsum(steps, axis=0)
        if trial % 5 == 0 and n > 3:
            path[n // 2 :] = np.nan
        assert events._saddle_escapes(o, surf, path, 1) == reference(surf, path, 1)
