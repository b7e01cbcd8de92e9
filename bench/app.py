"""Dashboard speed: the recompute callback's work through the real endpoint (request guard, Dash's
dispatch, engine, events, figures, inspector, JSON) and its response sizes (uncompressed)."""

from __future__ import annotations

import json
import statistics
import time

from app.runs.callbacks import _scene_part
from app.server import app
from app.state.scene import Scene
from bench import dash_requests as dr


def _post(client, body: dict) -> bytes:
    answer = client.post(dr.ENDPOINT, data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 200, answer.status_code
    return answer.data


def full_response(client, scene: Scene) -> bytes:
    """The main view's answer to a change of the whole scene: every figure, the inspector, the table."""
    return _post(client, dr.recompute_scene(scene))


def patch_response(client, scene: Scene, rule: str) -> bytes:
    """What a change of one optimizer's setting sends: that optimizer's traces only (and the panel)."""
    return _post(client, dr.recompute_scene(scene, changed=f'{{"name":"lr","rule":"{rule}","type":"hp"}}.value'))


def main() -> None:
    client = app.server.test_client()
    scene = Scene()
    full_response(client, scene)  # compile outside the timing
    times, again = [], []
    for _ in range(30):
        _scene_part.cache_clear()  # a scene this worker has not answered yet
        t0 = time.perf_counter()
        body = full_response(client, scene)
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        full_response(client, scene)  # the same scene again (a lecture hall opening one link)
        again.append(time.perf_counter() - t0)
    notebook = Scene(surface="paraboloid", roughness=2.0, steps=5000)  # the seed's noisy paraboloid, 5 rules
    full_response(client, notebook)
    _scene_part.cache_clear()
    t0 = time.perf_counter()
    full_response(client, notebook)
    noisy_ms = (time.perf_counter() - t0) * 1e3
    patch = patch_response(client, Scene(hyper={"adam": {"lr": 0.05}}), "adam")
    print("Dashboard recompute through the endpoint (default scene: engine, events, figures, inspector, JSON)")
    print(f"  p50 {statistics.median(times) * 1e3:.1f} ms  (goal < 60 ms)")
    print(f"  the same scene asked again (kept answer): p50 {statistics.median(again) * 1e3:.1f} ms")
    print(f"  full response {len(body) / 1024:.0f} KB  (goal < 400 KB)")
    print(f"  the notebook's noisy paraboloid, 5 rules x 5,000 steps: {noisy_ms:.1f} ms")
    print(f"  one optimizer's setting changed: {len(patch) / 1024:.0f} KB  (goal < 100 KB, surface mesh not resent)")


if __name__ == "__main__":
    main()
