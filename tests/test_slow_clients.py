"""Slow clients cannot stall the server (issue #14, item 1): real gunicorn with the project's config,
bare and behind Debian's nginx with ``deploy/nginx.conf``, while slow clients hold connections.

"Stays fast" is a behaviour bound (a normal request completes within 5 s; it took 30 s and more
before, or never came back), not a benchmark: ``bench/slowclients.py`` prints the times.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from urllib.parse import urlsplit

import pytest
import yaml

from bench import dash_requests as dr
from bench.serve import ROOT, gunicorn, nginx, nginx_binary
from bench.slowclients import measure, normal_request

BOUND = 5.0  # seconds


@pytest.fixture(scope="module")
def bare():
    with gunicorn(WARMUP_SURFACES="none") as (url, _):
        yield url


@pytest.fixture(scope="module")
def proxied(bare):
    if nginx_binary() is None:
        pytest.fail("nginx is not installed: apt-get install nginx-light (.ci/run does)")
    with nginx(bare) as url:
        yield url


@pytest.mark.parametrize(("kind", "count"), [("headers", 8), ("body", 8), ("reader", 16)])
def test_bare_gunicorn_answers_while_slow_clients_hold_connections(bare, kind, count):
    times = measure(bare, kind, count, samples=3)  # 2 slow headers: 29 s before; 4: never
    assert max(times) < BOUND, times


@pytest.mark.parametrize(("kind", "count"), [("headers", 200), ("body", 200), ("reader", 64)])
def test_behind_nginx_many_slow_clients_do_not_slow_a_normal_request(proxied, kind, count):
    times = measure(proxied, kind, count, samples=3)
    assert max(times) < BOUND, times


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


def test_nginx_drops_a_client_whose_header_never_ends(proxied):
    """client_header_timeout: a header still incomplete after 10 s gets no further (408, closed)."""
    sock = socket.create_connection(_host_port(proxied), timeout=30)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    t0 = time.monotonic()
    try:
        while time.monotonic() - t0 < 25:
            sock.sendall(b"a")
            time.sleep(0.5)
        closed = False
    except OSError:
        closed = True
    finally:
        sock.close()
    assert closed and time.monotonic() - t0 < 20


def test_nginx_refuses_a_chunked_body_over_256_kb_before_gunicorn_sees_it(proxied):
    sock = socket.create_connection(_host_port(proxied), timeout=30)
    head = f"POST {dr.ENDPOINT} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    head += "Transfer-Encoding: chunked\r\n\r\n"
    answer = b""
    try:
        sock.sendall(head.encode())
        block = b"a" * 65536
        for _ in range(16):  # 1 MB
            sock.sendall(b"%x\r\n%s\r\n" % (len(block), block))
        sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    try:
        while chunk := sock.recv(65536):
            answer += chunk
    except OSError:
        pass
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 413")


def test_nginx_says_in_words_that_a_link_is_too_long(proxied):
    sock = socket.create_connection(_host_port(proxied), timeout=30)
    try:
        sock.sendall(b"GET /?" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 414") and b"This link is longer than the server accepts" in answer


def test_through_nginx_the_app_answers_as_it_does_bare(proxied):
    assert normal_request(proxied) < BOUND
    body = json.dumps(dr.load("?steps=2.5")).encode()
    conn = http.client.HTTPConnection(*_host_port(proxied), timeout=30)
    conn.request("POST", dr.ENDPOINT, body=body, headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    assert r.status == 200 and b"steps: 2.5 is not a whole number" in r.read()
    assert r.getheader("Content-Security-Policy")  # the app's headers pass through


def test_docker_compose_puts_this_nginx_in_front_of_the_app():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    proxy = next(s for s in compose.values() if str(s.get("image", "")).startswith("nginx"))
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert "app" in proxy["depends_on"] and "ports" not in compose["app"]  # reached only through nginx
