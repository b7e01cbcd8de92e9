"""Slow clients against the server: how long a normal request takes while they are connected.

``python -m bench.slowclients [--setups old,bare,nginx] [--counts 2,4,8,32]``

Three kinds of slow client, as the issue's probe used them:

- headers: a request whose header arrives one byte every 0.5 s (and never ends);
- body: a POST whose 100 KB body arrives one byte every 0.5 s;
- reader: asks for plotly.min.js (1.2 MB compressed) and reads none of it.

With N of one kind connected (for 2 s first, so that they hold whatever they can), a normal request
(a callback: the "New seed" button, 9 ms on an idle server) is sent five times from another
address (127.0.0.2: nginx limits connections and requests per address); its median and slowest
times are printed next to the goal (slowest < 1 s). A request that has not come back after 10 s is
given up and counted as 10 s ("≥ 10000 ms"). Setups: ``old`` is gunicorn with the
settings before issue #14 (2 threads a worker), ``bare`` gunicorn as ``gunicorn.conf.py`` now sets
it, ``nginx`` is ``deploy/nginx.conf`` in front of that gunicorn (the production recipe).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

from bench import dash_requests as dr
from bench.serve import gunicorn, nginx

GOAL = 1.0  # seconds, the slowest normal request while slow clients are connected
KINDS = ("headers", "body", "reader")
PLOTLY = "/_dash-component-suites/plotly/package_data/plotly.min.js"


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


def _slow(kind: str, address: tuple[str, int], stop: threading.Event) -> None:
    """One slow client of ``kind`` until ``stop`` (or the server gives up on it)."""
    try:
        sock = socket.create_connection(address, timeout=5)
    except OSError:
        return
    try:
        if kind == "reader":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.sendall(f"GET {PLOTLY} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br, gzip\r\n\r\n".encode())
            stop.wait()
            return
        if kind == "headers":
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        else:
            head = f"POST {dr.ENDPOINT} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            sock.sendall((head + "Content-Length: 100000\r\n\r\n").encode())
        while not stop.wait(0.5):
            sock.sendall(b"a")
    except OSError:
        pass  # the server closed it: what a server should do with a client this slow
    finally:
        sock.close()


@contextlib.contextmanager
def slow_clients(kind: str, count: int, url: str) -> Iterator[None]:
    """``count`` slow clients of ``kind`` connected to ``url`` while the block runs."""
    stop = threading.Event()
    threads = [threading.Thread(target=_slow, args=(kind, _address(url), stop), daemon=True) for _ in range(count)]
    for t in threads:
        t.start()
    time.sleep(2.0)  # they connect and take whatever they can hold
    try:
        yield
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=10)


VISITOR = "127.0.0.2"  # the normal requests' own address (loopback too): per-address limits are the attacker's


def normal_request(url: str, timeout: float = 10.0) -> float:
    """Seconds for one normal callback request (``timeout`` when it does not come back in time)."""
    data = json.dumps(dr.new_seed(1)).encode()
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection(*_address(url), timeout=timeout, source_address=(VISITOR, 0))
    try:
        conn.request("POST", dr.ENDPOINT, body=data, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            return timeout
    except OSError:
        return timeout
    finally:
        conn.close()
    return time.perf_counter() - t0


def _ms(seconds: float) -> str:
    return "  ≥ 10000 ms" if seconds >= 10.0 else f"{seconds * 1e3:8.0f} ms"


def measure(url: str, kind: str, count: int, samples: int = 5) -> list[float]:
    normal_request(url)  # warm
    with slow_clients(kind, count, url):
        return [normal_request(url) for _ in range(samples)]


@contextlib.contextmanager
def setup(name: str) -> Iterator[str]:
    """The server of one setup (see the module docstring); yields the URL clients use."""
    if name == "old":
        with gunicorn(threads=2, WARMUP_SURFACES="none") as (url, _):
            yield url
    elif name == "bare":
        with gunicorn(WARMUP_SURFACES="none") as (url, _):
            yield url
    else:
        with gunicorn(WARMUP_SURFACES="none") as (url, _), nginx(url) as proxy:
            yield proxy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", default="old,bare,nginx")
    parser.add_argument("--counts", default="2,4,8,32")
    parser.add_argument("--kinds", default=",".join(KINDS))
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    print(f"A normal callback request while slow clients are connected (goal: slowest < {GOAL:g} s)")
    for name in args.setups.split(","):
        with setup(name) as url:
            for kind in args.kinds.split(","):
                for count in counts:
                    times = measure(url, kind, count)
                    slowest = max(times)
                    verdict = "ok" if slowest < GOAL else "OVER"
                    print(
                        f"  {name:6s} {count:3d} slow {kind:8s} median {_ms(statistics.median(times))}"
                        f"  slowest {_ms(slowest)}  {verdict}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
