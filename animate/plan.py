"""What an animation is made of and its caps: a request (format, frames, size, speed, loss chart)
clamped into bounds with a notice for every change, and the step each frame shows.

Caps (also in the README): at most ``MAX_FRAMES`` frames (``MAX_FRAMES_3D`` with the 3-D view
turning: every such frame is drawn whole), ``MAX_WIDTH`` x ``MAX_HEIGHT`` pixels, ``MAX_SECONDS`` of
playing time, ``FPS_RANGE`` frames a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from i18n import _
from i18n.clamp import clamp_whole, short

FORMATS = ("gif", "mp4")
MAX_FRAMES = 300
FRAMES_RANGE = (2, MAX_FRAMES)
MAX_FRAMES_3D = 120  # the 3-D view turning: each frame is a whole mplot3d drawing (no blitting)
WIDTH_RANGE = (320, 1280)  # pixels; the height follows (9/16 of it, or 1/2 with the loss chart beside)
MAX_WIDTH, MAX_HEIGHT = 1280, 720
FPS_RANGE = (1, 30)
MAX_SECONDS = 60.0  # frames / fps at most
HTML_FRAMES = 60  # the offline page's frames (plotly.js inside the file is 4.8 MB of the 5 MB goal)


@dataclass(frozen=True, kw_only=True)
class Request:
    """An animation of the scene in the link ``query``."""

    query: str = ""
    fmt: str = "gif"
    frames: int = 120
    width: int = 800
    fps: int = 20
    loss: bool = True  # the loss chart beside the contour map
    turn: bool = False  # the 3-D surface with the paths on it, the camera turning once, instead of the map

    @property
    def height(self) -> int:
        """Even (video encoders want even sizes): 9/16 of the width, the loss chart shares it."""
        return min(MAX_HEIGHT, 2 * round(self.width * 9 / 32))

    @property
    def seconds(self) -> float:
        return self.frames / self.fps

    def payload(self) -> dict:
        """The job's payload (plain JSON)."""
        return {
            "query": self.query,
            "fmt": self.fmt,
            "frames": self.frames,
            "width": self.width,
            "fps": self.fps,
            "loss": self.loss,
            "turn": self.turn,
        }


def _whole(name: str, value, lo: int, hi: int, default: int, notices: list[str]) -> int:
    """A whole number in [lo, hi] (``i18n.clamp``: text such as ``120`` too; a bool is no number)."""
    if isinstance(value, bool):
        notices.append(_("{name}: not a number; using {default}.").format(name=name, default=default))
        return default
    return clamp_whole(name, value, lo, hi, default, notices)


def clamp(raw: dict) -> tuple[Request, list[str]]:
    """A ``Request`` within the caps from anything (a dict from the page or a job payload), with a
    notice for each value changed."""
    raw = raw if isinstance(raw, dict) else {}
    notices: list[str] = []
    fmt = raw.get("fmt", "gif")
    if fmt not in FORMATS:
        notices.append(
            _("format: {value} is not one of {formats}; using gif.").format(
                value=short(fmt), formats=", ".join(FORMATS)
            )
        )
        fmt = "gif"
    query = raw.get("query", "")
    if not isinstance(query, str) or len(query) > 4000:
        notices.append(_("the scene's link could not be read; using the default scene."))
        query = ""
    frames = _whole(_("frames"), raw.get("frames", 120), *FRAMES_RANGE, 120, notices)
    width = _whole(_("width (px)"), raw.get("width", 800), *WIDTH_RANGE, 800, notices)
    turn = raw.get("turn", False) is True
    if turn and frames > MAX_FRAMES_3D:
        notices.append(_("frames: the turning 3-D view draws at most {n}; using {n}.").format(n=MAX_FRAMES_3D))
        frames = MAX_FRAMES_3D
    fps = _whole(_("frames a second"), raw.get("fps", 20), *FPS_RANGE, 20, notices)
    if frames / fps > MAX_SECONDS:
        fps_needed = math.ceil(frames / MAX_SECONDS)
        notices.append(
            _("{frames} frames at {fps} a second play longer than {most} s; using {needed} a second.").format(
                frames=frames, fps=fps, most=f"{MAX_SECONDS:g}", needed=fps_needed
            )
        )
        fps = fps_needed
    loss = raw.get("loss", True)
    request = Request(query=query, fmt=fmt, frames=frames, width=width, fps=fps, loss=bool(loss), turn=turn)
    return request, notices


def frame_steps(steps: int, frames: int) -> np.ndarray:
    """The step each frame shows: 0 first, the last step last, evenly between (whole steps, rising;
    fewer frames when the run has fewer steps)."""
    return np.unique(np.round(np.linspace(0, steps, min(frames, steps + 1))).astype(int))
