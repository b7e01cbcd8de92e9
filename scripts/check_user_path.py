"""The user's path, checked end to end: ``python scripts/check_user_path.py`` (run it with the Python
of a venv that has **requirements.txt only**; ``scripts/check_user_path`` builds that venv).

1. The README's run command, ``python -m app``: serves ``/`` and answers the main view's recompute.
2. The Dockerfile, as far as a machine without a Docker engine can follow it: the files its COPY lines
   copy are staged into an empty folder (``.dockerignore`` applied), its ENV is set, its ``python``
   RUN steps run there, and its CMD (gunicorn with gunicorn.conf.py) is started from that folder. It
   must serve ``/``, answer the recompute and complete one basin-map background job through the real
   endpoints (queued, polled, delivered), as the page does.

Any failure exits 1 and prints the server's log. Standard library only on the client side (plus the
request builder ``bench.dash_requests``, which needs nothing beyond requirements.txt).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.serve import free_port, stop, wait_ready  # noqa: E402  (standard library only)

START_TIMEOUT = 120  # seconds for a server to answer "/" (a cold machine compiles the engine)
JOB_TIMEOUT = 120  # seconds for the basin-map job to deliver its map


class Failure(Exception):
    """A step of the user's path broke; the message says which."""


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def post(url: str, body: dict) -> dict:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        status = response.status
        text = response.read()
    if status == 204:
        return {}
    return json.loads(text)


class Server:
    """A server process with its log in a file; ``url`` once ``/`` answers."""

    def __init__(self, cmd: list[str], cwd: Path, env: dict[str, str], port: int) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{port}"
        self.cmd = cmd

    def wait_ready(self) -> bytes:
        page = []

        def failed() -> str:
            code = self.proc.poll()
            if code is not None:
                return f"{shlex.join(self.cmd)} exited with code {code}"
            return f"{shlex.join(self.cmd)} did not answer / within {START_TIMEOUT} s"

        try:
            wait_ready(lambda: page.append(get(self.url + "/")), self.proc, START_TIMEOUT, failed)
        except RuntimeError as err:
            raise Failure(str(err)) from None
        return page[0]

    def log_text(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            stop(self.proc, 30)
            self.proc.wait()


def check_page(html: bytes) -> None:
    """The page is the dashboard."""
    text = html.decode(errors="replace")
    if "Gradient-descent playground" not in text or 'id="_dash-config"' not in text:
        raise Failure("/ did not serve the dashboard's page")


def check_recompute(url: str) -> None:
    """The main view's recompute answers with three figures for the default scene."""
    from bench import dash_requests  # imports the app: only after the server has shown it starts

    answer = post(url + dash_requests.ENDPOINT, dash_requests.recompute())
    response = answer.get("response", {})
    for graph in ("graph-3d", "graph-contour", "graph-loss"):
        figure = response.get(graph, {}).get("figure")
        if not isinstance(figure, dict) or not figure.get("data"):
            raise Failure(f"the recompute's answer has no {graph} figure")
    print(f"  recompute answered: {len(response['graph-contour']['figure']['data'])} traces on the contour map")


def check_basin_job(url: str) -> None:
    """Queue a small basin map as the page does, poll it as the page does, get the map."""
    from bench import dash_requests

    deps = json.loads(get(url + "/_dash-dependencies"))
    key = dash_requests.output_key({d["output"]: d for d in deps}, "basin-graph.figure")
    endpoint = url + dash_requests.ENDPOINT
    answer = post(endpoint, dash_requests.basin_flow(key, "run")).get("response", {})
    job = answer.get("basin-job", {}).get("data")
    if not answer.get("basin-graph") and not (isinstance(job, dict) and "key" in job):
        raise Failure(f"the basin map was not queued: {str(answer)[:300]}")
    deadline = time.time() + JOB_TIMEOUT
    polls = 0
    while time.time() < deadline:
        if polls:
            answer = post(endpoint, dash_requests.basin_flow(key, "poll", job=job, tick=polls)).get("response", {})
        polls += 1
        figure = answer.get("basin-graph", {}).get("figure")
        if figure:
            summary = answer["basin-summary"]["children"]
            if "minimum" not in summary:
                raise Failure(f"the basin map's summary names no minimum: {summary!r}")
            print(f"  basin map delivered after {polls - 1} polls: {summary}")
            return
        if answer.get("basin-poll", {}).get("disabled"):
            raise Failure(f"the basin-map job ended without a map: {str(answer.get('basin-notice'))[:300]}")
        time.sleep(0.5)
    raise Failure(f"the basin-map job delivered nothing within {JOB_TIMEOUT} s ({polls} polls)")


def dockerfile(path: Path) -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def docker_env(value: str) -> dict[str, str]:
    """``ENV A=1 B=2`` (the only form this project's Dockerfile uses)."""
    return dict(part.split("=", 1) for part in shlex.split(value))


def ignored(rel: str, patterns: list[str]) -> bool:
    parts = rel.split("/")
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if pattern.startswith("**/"):
            if any(fnmatch.fnmatch(p, pattern[3:]) for p in parts):
                return True
        elif fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(parts[0], pattern):
            return True
    return False


def stage(target: Path) -> tuple[dict[str, str], list[str], list[str]]:
    """Copy what the Dockerfile copies into ``target``; return its ENV, python RUN steps and CMD.

    ``target`` stands for the image's WORKDIR: ENV values under WORKDIR point into ``target``, and
    ``RUN mkdir``/``chown`` steps are replaced by making the folders (the user is this one here).
    """
    patterns = [p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines() if p.strip()]
    env: dict[str, str] = {}
    runs: list[str] = []
    cmd: list[str] = []
    workdir = "/"
    for word, rest in dockerfile(ROOT / "Dockerfile"):
        if word == "WORKDIR":
            workdir = rest.rstrip("/")
        elif word == "ENV":
            for key, value in docker_env(rest).items():
                if value == workdir or value.startswith(workdir + "/"):
                    value = str(target) + value[len(workdir) :]
                env[key] = value
        elif word == "RUN" and rest.startswith("mkdir "):
            for folder in shlex.split(rest.split("&&")[0])[1:]:
                (target / folder).mkdir(parents=True, exist_ok=True)
        elif word == "COPY":
            *sources, dest = shlex.split(rest)
            into = target / dest  # a folder's contents go into dest; a file into dest/ or onto dest
            for source in sources:
                src = ROOT / source
                if src.is_dir():
                    for file in src.rglob("*"):
                        rel = file.relative_to(ROOT).as_posix()
                        if file.is_file() and not ignored(rel, patterns):
                            out = into / file.relative_to(src)
                            out.parent.mkdir(parents=True, exist_ok=True)
                            shutil.copy2(file, out)
                else:
                    out = into / src.name if dest.endswith("/") or dest == "." else into
                    out.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, out)
        elif word == "RUN" and rest.startswith("python"):
            runs.append(rest)
        elif word == "CMD":
            cmd = json.loads(rest)
    if not cmd:
        raise Failure("the Dockerfile has no CMD in JSON form")
    return env, runs, cmd


def compiled(env: dict[str, str]) -> set[str] | None:
    """The compiled-kernel files in the image's kernel cache (None when the image sets none)."""
    folder = env.get("KERNEL_CACHE")
    if not folder:
        return None
    return {str(p) for p in Path(folder).rglob("*.nb[ic]")}


def with_venv(cmd: list[str]) -> list[str]:
    """Run the command's program from this venv (where requirements.txt was installed)."""
    exe = Path(sys.executable).with_name(cmd[0])
    return [str(exe) if exe.exists() else cmd[0], *cmd[1:]]


def run_server(cmd: list[str], cwd: Path, env: dict[str, str], checks) -> None:
    server = Server(cmd, cwd, env, int(env["PORT"]))
    try:
        html = server.wait_ready()
        checks(server.url, html)
    except (Failure, OSError, ValueError, KeyError) as err:
        server.stop()
        print(f"FAILED: {shlex.join(cmd)} (in {cwd}): {err}\n--- server log ---\n{server.log_text()[-6000:]}")
        raise SystemExit(1) from None
    server.stop()


def main() -> None:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("WEB_", "GUNICORN_", "REDIS_URL"))}
    t0 = time.time()

    print("1. The README's run command: python -m app")
    port = free_port()
    env = {**base_env, "PORT": str(port), "CACHE_DIR": tempfile.mkdtemp(prefix="jobs-")}

    def readme_checks(url, html):
        check_page(html)
        print(f"  / served ({len(html):,} bytes)")
        check_recompute(url)

    run_server([sys.executable, "-m", "app"], ROOT, env, readme_checks)

    print("2. The Dockerfile's files, ENV, build steps and CMD")
    with tempfile.TemporaryDirectory(prefix="image-") as folder:
        workdir = Path(folder)
        docker, runs, cmd = stage(workdir)
        port = free_port()
        env = {**base_env, **docker, "PORT": str(port), "CACHE_DIR": str(workdir / "jobs")}
        env.pop("PYTHONPATH", None)
        for step in runs:
            print(f"  RUN {step}")
            done = subprocess.run(with_venv(shlex.split(step)), cwd=workdir, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"FAILED: RUN {step}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
                raise SystemExit(1)

        def image_checks(url, html):
            check_page(html)
            print(f"  / served ({len(html):,} bytes)")
            check_recompute(url)
            check_basin_job(url)

        print(f"  CMD {shlex.join(cmd)}")
        built = compiled(env)
        run_server(with_venv(cmd), workdir, env, image_checks)
        if built is not None:
            added = compiled(env) - built
            if added:
                print(f"FAILED: the server compiled kernels the image's build step had compiled: {sorted(added)[:5]}")
                raise SystemExit(1)
            print(f"  the server compiled nothing: its kernels came from the build step's cache ({len(built)} files)")
    print(f"The user's path works ({time.time() - t0:.0f} s).")


if __name__ == "__main__":
    try:
        main()
    except Failure as err:
        print(f"FAILED: {err}")
        raise SystemExit(1) from None
