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


@contextlib.contextmanager
def gunicorn(workers: int | None = None, threads: int | None = None, **env: str) -> Iterator[tuple[str, int]]:
    """Yield (base URL, master pid) of a gunicorn serving ``app.server:server``; stop it afterwards."""
    port = free_port()
    environ = {**os.environ, "PORT": str(port), **env}
    if workers is not None:
        environ["WEB_CONCURRENCY"] = str(workers)
    if threads is not None:
        environ["GUNICORN_THREADS"] = str(threads)
    exe = str(Path(sys.executable).with_name("gunicorn"))
    cmd = [exe, "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null", "app.server:server"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("gunicorn did not start: " + proc.stderr.read().decode()[-2000:]) from None
                time.sleep(0.3)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


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
        try:
            deadline = time.time() + 30
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    if proc.poll() is not None or time.time() > deadline:
                        log = Path(tmp, "error.log")
                        raise RuntimeError(
                            "nginx did not start: " + (log.read_text() if log.exists() else "")
                        ) from None
                    time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
