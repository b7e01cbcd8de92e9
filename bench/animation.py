"""Animations to take away: a 300-frame GIF (and MP4) of the default scene, and the offline HTML
page, timed and weighed against their goals (``python -m bench.animation``)."""

from __future__ import annotations

import time

from animate import offline, plan
from animate.video import render
from app.state.link import query_to_scene

GOALS = {"gif_seconds": 10.0, "gif_mb": 8.0, "html_mb": 5.0}


def main() -> None:
    scene, _ = query_to_scene("")
    rows = []
    for fmt in ("gif", "mp4"):
        req, _ = plan.clamp({"fmt": fmt, "frames": 300, "fps": 30})
        t = time.perf_counter()
        data = render(req, scene)
        rows.append((fmt, time.perf_counter() - t, len(data) / 1e6))
    t = time.perf_counter()
    html = offline.page(scene).encode()
    html_s, html_mb = time.perf_counter() - t, len(html) / 1e6
    frames = plan.HTML_FRAMES
    print("Animations of the default scene (300 frames, 800 x 450 px, loss chart beside):")
    for fmt, seconds, mb in rows:
        goal = ""
        if fmt == "gif":
            met = seconds < GOALS["gif_seconds"] and mb < GOALS["gif_mb"]
            goal = f"(goals < {GOALS['gif_seconds']:g} s, < {GOALS['gif_mb']:g} MB: {_verdict(met)})"
        print(f"  {fmt.upper():4s} {seconds:6.2f} s  {mb:6.2f} MB  {goal}")
    met = html_mb < GOALS["html_mb"]
    print(
        f"  offline HTML ({frames} frames) {html_s:5.2f} s  {html_mb:6.3f} MB  "
        f"(goal < {GOALS['html_mb']:g} MB: {_verdict(met)})"
    )
    print("  (wall-clock times: run on an otherwise idle machine; a busy one inflates them)")


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


if __name__ == "__main__":
    main()
