"""Start the app under real gunicorn on localhost for a benchmark (the Dockerfile's own command)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
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
