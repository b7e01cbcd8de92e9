"""Animations to take away: GIF and MP4 open with their libraries, with the frames, size and
duration asked for; requests are clamped to the caps with a notice."""

import io
import os
import tempfile

import imageio_ffmpeg
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
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
    # One palette index is left free, so Pillow makes a frame's unchanged pixels transparent: the
    # frames after the first cost little.
    assert len(data) < 24 * 480 * 270 / 20


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


def _changed(im: Image.Image, a: int, b: int) -> float:
    """The share of pixels that differ between frames a and b."""
    im.seek(a)
    first = np.asarray(im.convert("RGB"), dtype=int)
    im.seek(b)
    return float(((np.abs(first - np.asarray(im.convert("RGB"), dtype=int)).sum(axis=2)) > 60).mean())


def test_the_3d_view_turns_around_with_the_paths_on_it():
    data = _rendered("gif", frames=12, width=400, fps=12, loss=False, turn=True)
    im = Image.open(io.BytesIO(data))
    assert im.format == "GIF" and im.n_frames == 12 and im.size == (400, 224)
    flat = Image.open(io.BytesIO(_rendered("gif", frames=12, width=400, fps=12, loss=False)))
    for a, b in ((0, 3), (6, 9), (10, 11)):  # a quarter turn (and a twelfth) moves the whole surface ...
        assert _changed(im, a, b) > 0.04 and _changed(im, a, b) > 4 * _changed(flat, a, b)  # ... the map stays
    mp4 = _rendered("mp4", frames=10, width=320, fps=10, turn=True)
    fd, path = tempfile.mkstemp(suffix=".mp4")
    try:
        os.write(fd, mp4)
        os.close(fd)
        frames, seconds = imageio_ffmpeg.count_frames_and_secs(path)
    finally:
        os.unlink(path)
    assert frames == 10 and abs(seconds - 1.0) < 0.11


def test_the_turning_3d_view_has_its_own_frame_cap():
    req, notices = plan.clamp({"frames": 300, "turn": True})
    assert req.turn and req.frames == plan.MAX_FRAMES_3D and any("3-D" in n for n in notices)
    assert plan.clamp({"turn": "yes"})[0].turn is False  # only a real true turns it on
    assert plan.clamp({"frames": 300})[0].frames == 300


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


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["fmt", "frames", "width", "fps", "loss", "turn", "query", "zz"]),
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30), st.lists(st.integers())),
    )
)
def test_any_request_is_clamped_into_the_caps(raw):
    req, notices = plan.clamp(raw)
    assert req.fmt in plan.FORMATS and plan.FRAMES_RANGE[0] <= req.frames <= plan.MAX_FRAMES
    assert plan.WIDTH_RANGE[0] <= req.width <= plan.MAX_WIDTH and req.height <= plan.MAX_HEIGHT
    assert req.height % 2 == 0 and req.seconds <= plan.MAX_SECONDS and isinstance(req.loss, bool)
    assert not req.turn or req.frames <= plan.MAX_FRAMES_3D
    assert all(isinstance(n, str) and len(n) < 200 for n in notices)
