"""Animations to take away: GIF and MP4 open with their libraries, with the frames, size and
duration asked for; requests are clamped to the caps with a notice."""

import io
import os
import tempfile

import imageio_ffmpeg
import numpy as np
from PIL import Image

from animate import plan
from animate.video import job, render
from app.state.link import query_to_scene


def _rendered(fmt: str, **kw) -> bytes:
    req, notices = plan.clamp({"fmt": fmt, "query": "?steps=200&opt=adam,sgd", **kw})
    assert not notices
    return render(req, query_to_scene(req.query)[0])


def test_gif_has_the_frames_and_size_asked_for_and_the_paths_grow():
    data = _rendered("gif", frames=24, width=480, fps=12)
    im = Image.open(io.BytesIO(data))
    assert im.format == "GIF" and im.n_frames == 24 and im.size == (480, 270)
    assert abs(im.info["duration"] - 1000 / 12) < 10  # GIF counts in hundredths of a second
    im.seek(0)
    first = np.asarray(im.convert("RGB"), dtype=int)
    im.seek(23)
    last = np.asarray(im.convert("RGB"), dtype=int)
    assert (np.abs(first - last).sum(axis=2) > 60).sum() > 200  # paths and loss lines were drawn


def test_mp4_is_an_h264_container_with_its_duration():
    data = _rendered("mp4", frames=40, width=640, fps=20, loss=False)
    assert data[4:8] == b"ftyp"  # an ISO base media (MP4) container
    fd, path = tempfile.mkstemp(suffix=".mp4")
    try:
        os.write(fd, data)
        os.close(fd)
        frames, seconds = imageio_ffmpeg.count_frames_and_secs(path)
        meta = next(imageio_ffmpeg.read_frames(path))
    finally:
        os.unlink(path)
    assert frames == 40 and abs(seconds - 2.0) < 0.11
    assert meta["size"] == (640, 360) and "h264" in meta["codec"]


def test_requests_are_clamped_to_the_caps_with_a_notice():
    req, notices = plan.clamp({"fmt": "avi", "frames": 10_000, "width": 1e9, "fps": "fast", "query": 5})
    assert req.fmt == "gif" and req.frames == plan.MAX_FRAMES and req.width == plan.WIDTH_RANGE[1] and req.fps == 20
    assert req.height <= plan.MAX_HEIGHT and req.query == ""
    assert len(notices) == 5 and any("frames" in n and "10000" in n for n in notices)
    req, notices = plan.clamp({"frames": 300, "fps": 1})
    assert req.seconds <= plan.MAX_SECONDS and any("longer than" in n for n in notices)
    assert plan.clamp("nonsense")[0] == plan.Request()


def test_frames_run_from_the_start_to_the_last_step():
    steps = plan.frame_steps(2000, 300)
    assert steps[0] == 0 and steps[-1] == 2000 and len(steps) == 300 and (np.diff(steps) > 0).all()
    assert list(plan.frame_steps(5, 300)) == [0, 1, 2, 3, 4, 5]


def test_the_job_entry_point_reports_progress_and_returns_the_file():
    seen = []
    data = job(
        {"fmt": "gif", "frames": 12, "width": 320, "query": "?steps=50&opt=adam"}, lambda d, t: seen.append((d, t))
    )
    assert Image.open(io.BytesIO(data)).n_frames == 12
    assert seen[-1] == (12, 12) and seen == sorted(seen)
