"""Start the app under real gunicorn on localhost (the Dockerfile's own command), and nginx in front
of it with the project's own configuration (``deploy/nginx.conf``), for benchmarks and tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, timeout: float) -> None:
    """Ask a server to stop; kill it if it has not after ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_ready(ready, proc: subprocess.Popen, seconds: float, failed, pause: float = 0.3) -> None:
    """Until ``ready()`` stops raising OSError; ``failed()`` gives the error's text when ``proc`` ends
    or ``seconds`` pass first."""
    deadline = time.time() + seconds
    while True:
        try:
            ready()
            return
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(failed()) from None
            time.sleep(pause)


@contextlib.contextmanager
def gunicorn(
    workers: int | None = None, threads: int | None = None, target: str = "app.server:server", **env: str
) -> Iterator[tuple[str, int]]:
    """Yield (base URL, master pid) of a gunicorn serving ``target`` (the app); stop it afterwards."""
    port = free_port()
    environ = {**os.environ, "PORT": str(port), **env}
    if workers is not None:
        environ["WEB_CONCURRENCY"] = str(workers)
    if threads is not None:
        environ["GUNICORN_THREADS"] = str(threads)
    exe = str(Path(sys.executable).with_name("gunicorn"))
    cmd = [exe, "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null", target]
    log = tempfile.TemporaryFile()  # a file, not a pipe: a long run's log never fills a buffer and blocks
    proc = subprocess.Popen(cmd, cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"

    def tail() -> str:
        log.seek(0)
        return log.read().decode(errors="replace")[-4000:]

    try:
        wait_ready(
            lambda: urllib.request.urlopen(url + "/", timeout=5).read(),
            proc,
            120,
            lambda: "gunicorn did not start: " + tail(),
        )
        yield url, proc.pid
    except BaseException:
        print("gunicorn's log, last lines:\n" + tail(), file=sys.stderr)  # shown by pytest on failure
        raise
    finally:
        stop(proc, 30)
        log.close()


NGINX_CONF = ROOT / "deploy" / "nginx.conf"
NGINX_MAIN = """daemon off;
worker_processes 1;
{user}pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/playground.conf;
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)


@contextlib.contextmanager
def nginx(upstream: str) -> Iterator[str]:
    """Yield the base URL of nginx (Debian's) serving ``deploy/nginx.conf`` in front of ``upstream``
    (a gunicorn's base URL): the file as it is, but for its upstream address and listening port."""
    exe = nginx_binary()
    if exe is None:
        raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
    port = free_port()
    conf = NGINX_CONF.read_text()
    for old, new in (
        ("server app:8050;", f"server {upstream.removeprefix('http://')};"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
    ):
        if old not in conf:
            raise RuntimeError(f"deploy/nginx.conf no longer says {old!r}")
        conf = conf.replace(old, new)
    with tempfile.TemporaryDirectory(prefix="nginx-") as tmp:
        Path(tmp, "playground.conf").write_text(conf)
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers may then use the temporary folder
        Path(tmp, "nginx.conf").write_text(NGINX_MAIN.format(tmp=tmp, user=user))
        proc = subprocess.Popen(
            [exe, "-p", tmp, "-e", f"{tmp}/error.log", "-c", f"{tmp}/nginx.conf"], stderr=subprocess.PIPE
        )
        url = f"http://127.0.0.1:{port}"
        log = Path(tmp, "error.log")
        try:
            wait_ready(
                lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close(),
                proc,
                30,
                lambda: "nginx did not start: " + (log.read_text() if log.exists() else ""),
                pause=0.1,
            )
            yield url
        finally:
            stop(proc, 10)


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """Yield the URL of a real ``redis-server`` (Debian's) on a free loopback port, without persistence."""
    exe = shutil.which("redis-server")
    if exe is None:
        raise RuntimeError("redis-server is not installed (.ci/run installs Debian's redis-server)")
    port = free_port()
    cmd = [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    try:
        wait_ready(
            lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close(),
            proc,
            10,
            lambda: "redis-server did not start",
            pause=0.05,
        )
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(proc, 10)


def is_job_runner(proc) -> bool:
    """Whether a process of the server (a ``psutil.Process``) is one of its job runners
    (``jobs/pool.py`` starts each as ``python -m jobs.runner``) rather than gunicorn's master or a web
    worker; whatever their priority (``JOB_NICE``)."""
    return "jobs.runner" in proc.cmdline()


@contextlib.contextmanager
def celery_worker(
    redis_url: str, concurrency: str | None = None, cores: set[int] | None = None
) -> Iterator[subprocess.Popen]:
    """A Celery worker exactly as docker-compose.yml starts it (``concurrency``: its processes;
    ``cores``: the CPUs it and its children may use, as a machine of that many cores of its own)."""
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    cmd = compose["services"]["worker"]["command"]
    cmd = [str(Path(sys.executable).with_name(cmd[0])), *cmd[1:]]
    if concurrency is not None:
        cmd = [c if not c.startswith("--concurrency") else f"--concurrency={concurrency}" for c in cmd]
    env = {**os.environ, "REDIS_URL": redis_url}
    pin = (lambda: os.sched_setaffinity(0, cores)) if cores else None
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=pin
    )
    try:
        yield proc
    finally:
        stop(proc, 30)
