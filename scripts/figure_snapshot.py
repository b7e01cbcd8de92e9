"""What the app answers for a fixed set of scenes, written to one folder: ``python -m scripts.figure_snapshot OUT``.

A restructure must not change behaviour: run this before and after it and compare the folders
(``diff -r BEFORE AFTER``): every file must be byte-identical. Run it twice with the same ``CACHE_DIR``
and keep the second: with a cold job cache a job finishes at a poll rather than at once, and the
job tabs' first notices are then not part of the answer (the queue is kept per code version, so
any change to the code makes the cache cold). It asks the real endpoints of the app
(Flask's test client, in-process) exactly as the page does, and fills each request by control names
(``id.property``) from the app's own ``/_dash-dependencies`` (``bench.dash_requests``), so that a
change in a callback's signature (positional to dict) does not change what is asked. Written per scene: the page load's
answer, the main view's whole answer (3-D, contour, loss and schedule figures, table, summary,
inspector), the inspector at a paused step, the small multiples, every export, and the basin-map and
sweep figures drawn from the job results (the jobs are computed in-process, as a runner does).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

SCENES = {
    "default": "",
    "himmelblau": "?surface=himmelblau&x=-1.5&y=2.5&steps=300&opt=adam,sgd,momentum&adam.lr=0.05",
    "saddle-noise": "?surface=monkey_saddle&steps=200&opt=sgd,nesterov,rmsprop&rough=0.3&gnoise=0.2&seed=3&log=1",
    "rosenbrock-dark": (
        "?surface=rosenbrock&x=-1.5&y=2.5&steps=500&opt=adam,amsgrad,adamw,nadam,radam&theme=dark&k=40&inspect=adam"
    ),
    "formula": "?surface=custom&f=sin(x)*cos(y)+0.1*(x^2+y^2)&view=-4:4:-3:3&steps=150&opt=adagrad,adadelta,adamax",
    "ensemble-schedule": (
        "?surface=rastrigin&steps=120&opt=sgd,adam&ens=20&gnoise=0.5&adam.sched=cosine:0:0.1&sgd.sched=step:30:0.5"
    ),
    "embed": "?surface=beale&embed=1&hide=noise,steps&steps=100&opt=adam",
    "lesson": "?lesson=noise-and-sgd&lstep=2",
}


class Client:
    """The app in-process; each request re-filled by names for the app's own callback
    (``bench.dash_requests.by_names``), so that requests built for another version still fit."""

    def __init__(self) -> None:
        from app.server import server

        self.http = server.test_client()

    def ask(self, like: dict, fragment: str | None = None) -> dict:
        """Send ``like`` as the app's callback that sets ``fragment`` (default: the outputs ``like``
        names) expects it; answer {"output.prop": value} sorted."""
        from bench import dash_requests as dr

        r = self.http.post(dr.ENDPOINT, json=dr.by_names(like, fragment))
        if r.status_code == 204:
            return {}
        assert r.status_code == 200, (r.status_code, r.get_data(as_text=True)[:500])
        answer = r.get_json()["response"]
        flat = {f"{cid}.{prop}": v for cid, props in answer.items() for prop, v in props.items()}
        return dict(sorted(flat.items()))


def _without_client_id(node: Any) -> Any:
    """The layout with the one random value it holds (each page's client id) blanked."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == "client-id":
            return {**node, "props": {**node["props"], "data": "<random>"}}
        return {k: _without_client_id(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_without_client_id(v) for v in node]
    return node


def snapshot(out: Path) -> int:
    from app.state.link import query_to_scene
    from bench import dash_requests as dr

    client = Client()
    out.mkdir(parents=True, exist_ok=True)
    written = 0

    def write(name: str, data: Any) -> None:
        nonlocal written
        (out / f"{name}.json").write_text(json.dumps(data, sort_keys=True, indent=0, allow_nan=True))
        written += 1

    write("layout", _without_client_id(client.http.get("/_dash-layout").get_json()))
    for name, link in SCENES.items():
        write(f"{name}.load", client.ask(dr.load(link)))
        scene = query_to_scene(link)[0]
        main = client.ask(dr.recompute_scene(scene), "summary.children")
        write(f"{name}.recompute", main)
        query = main.get("query.data")
        rule = scene.rules[0] if scene.rules else "adam"
        write(f"{name}.inspect", client.ask(dr.inspect(10, rule, query), "inspector.children"))
        write(f"{name}.compare", client.ask(dr.compare("compare", ["paraboloid", "himmelblau"], query)))
        for item in dr.EXPORT_ITEMS:
            write(f"{name}.{item}", client.ask(dr.export(item, query)))
        write(f"{name}.jobs", jobs(client, query, rule))
    return written


def jobs(client: Client, query: str, rule: str) -> dict:
    """The basin map's and the sweep's figures for this link, through their job tabs (run, poll)."""
    from bench import dash_requests as dr

    basin = dict(rule=rule, resolution="20", steps=60, link=query)
    sweep = [
        ("sweep-rule", "value", rule),
        ("sweep-second", "value", None),
        ("sweep-lr-lo", "value", 0.001),
        ("sweep-lr-hi", "value", 0.5),
        ("sweep-lo", "value", None),
        ("sweep-hi", "value", None),
        ("sweep-size", "value", "6"),
        ("sweep-steps", "value", 60),
        ("query", "data", query),
        ("url", "search", query),
    ]
    result = {}
    for kind, build in (
        (
            "basin",
            lambda trigger, job, tick: dr.basin_flow(
                "basin-graph.figure", trigger, job, "snapshot", tick=tick, **basin
            ),
        ),
        (
            "sweep",
            lambda trigger, job, tick: dr.job_flow("sweep-data.data", "sweep", trigger, sweep, job, "snapshot", tick),
        ),
    ):
        answer = client.ask(build("run", None, None), f"{kind}-job.data")
        job, tick = answer.get(f"{kind}-job.data"), 0
        deadline = time.monotonic() + 120
        while f"{kind}-graph.figure" not in answer and "sweep-data.data" not in answer:
            assert time.monotonic() < deadline, f"{kind} job not delivered: {answer}"
            time.sleep(0.2)
            tick += 1
            answer = client.ask(build("poll", job, tick), f"{kind}-job.data")
        if kind == "sweep":
            data = answer["sweep-data.data"]
            for metric in ("steps", "loss", "outcome"):
                like = dr.call("sweep-graph.figure", [("sweep-data", "data", data), ("sweep-metric", "value", metric)])
                answer[f"figure-{metric}"] = client.ask(like, "sweep-graph.figure")
        answer.pop(f"{kind}-job.data", None)
        result[kind] = answer
    return result


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/figure-snapshot")
    print(f"{snapshot(target)} answers written to {target}")
