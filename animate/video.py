"""GIF and MP4 of a scene: the contour map with the paths drawing step by step, a legend, a step
counter and (optionally) the loss chart beside it, rendered with matplotlib (Agg, no browser, no
pyplot state) and written by its animation writers: ``PillowWriter`` (GIF) and ``FFMpegWriter``
(MP4, H.264, yuv420p) with the ffmpeg binary of the ``imageio-ffmpeg`` wheel.

Everything that stays is drawn once and kept as pixels (blitting); each frame restores them and
draws only the lines, the markers and the step counter, so a frame costs a few milliseconds.
Optionally (``Request.turn``) the 3-D surface (mplot3d ``plot_surface``, z-range clipped as in the
dashboard) with the paths lifted on it replaces the map, the camera turning once around over the
frames; each such frame is drawn whole, hence its own frame cap (``plan.MAX_FRAMES_3D``).
``job(payload, progress)`` is the job queue's entry point.
"""

from __future__ import annotations

import functools
import os
import tempfile
from dataclasses import replace

import imageio_ffmpeg
import matplotlib
import numpy as np
from matplotlib import animation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D, IdentityTransform
from PIL import Image

import i18n
import optimizers
from analysis.numbers import fmt
from analysis.outcomes import Outcome, run_scene, surface_of, with_exact_loss
from analysis.statistics import loss_floor, shown_z_range, stride_for
from animate.plan import Request, clamp, frame_steps
from app.state.link import query_to_scene
from app.state.scene import Scene
from i18n import _, number

matplotlib.rcParams["animation.ffmpeg_path"] = imageio_ffmpeg.get_ffmpeg_exe()
GRID = 200  # contour map resolution
MAX_LINE_POINTS = 2000  # points per drawn path (every k-th step beyond)
DASHES = {"solid": "-", "dash": "--", "dot": ":", "dashdot": "-."}
DPI = 100
GRID_3D = 40  # the turning 3-D view's mesh (drawn whole each frame)
ELEV, AZIM = 30.0, -60.0  # the 3-D camera: matplotlib's default view, turning once around from there


class GifWriter(animation.PillowWriter):
    """matplotlib's Pillow writer, fed the canvas's pixels directly (the frame is already drawn)."""

    palette: Image.Image | None = None

    def _rgb(self, rgba) -> Image.Image:
        """The canvas's RGBA pixels as an RGB image (the raw decoder drops alpha: no second pass)."""
        return Image.frombytes("RGB", self.frame_size, rgba, "raw", "RGBX")

    def palette_from(self, rgba) -> None:
        """255 colours for every frame (GIF frames are paletted; one palette: no per-frame quantizing).
        The 256th index stays free: Pillow makes it transparent where a frame repeats the last one,
        which keeps the file small."""
        self.palette = self._rgb(rgba).quantize(255, method=Image.Quantize.FASTOCTREE)

    def grab_rgba(self, rgba) -> None:
        image = self._rgb(rgba)
        if self.palette is not None:
            image = image.quantize(palette=self.palette, dither=Image.Dither.NONE)
        self._frames.append(image)


class Mp4Writer(animation.FFMpegWriter):
    """matplotlib's ffmpeg pipe writer (raw RGBA frames in), fed the canvas's pixels directly."""

    def grab_rgba(self, rgba) -> None:
        self._proc.stdin.write(rgba)


@functools.cache
def _glyph(char: str, size: float) -> tuple[Path, float]:
    """A character's outline (points, at the origin) and its advance (points), in the default font."""
    prop = FontProperties(size=size)
    font = get_font(findfont(prop))
    font.set_size(size, 72)
    advance = font.load_char(ord(char)).linearHoriAdvance / 65536
    if char.isspace():  # no outline (and TextPath fails on it)
        return Path(np.zeros((0, 2))), advance
    return TextPath((0, 0), char, prop=prop), advance


class _OutlineCounter(PathPatch):
    """The step counter's text as one outline path (``TextPath``): a frame draws one path instead of
    laying out and rendering the glyphs of a ``Text`` (a third of a frame's cost before)."""

    FONT = FontProperties(size=10)

    def __init__(self, fig: Figure) -> None:
        super().__init__(Path(np.zeros((1, 2))), facecolor="black", edgecolor="none", zorder=9, animated=True)
        fig.add_artist(self)

    def place(self, extent, widest: str) -> None:
        """Put the text where the (invisible) ``Text`` of ``widest`` lies: ``extent`` in pixels."""
        self.set_text(widest)
        ink = self.get_path().get_extents()
        scale = DPI / 72  # the outline is in points
        dy = extent.y0 + (extent.height - ink.height * scale) / 2 - ink.y0 * scale
        self.set_transform(Affine2D().scale(scale).translate(extent.x0 - ink.x0 * scale, dy))

    def set_text(self, text: str) -> None:
        """The outlines of ``text``'s characters side by side (cached: no layout per frame)."""
        parts, x = [], 0.0
        for char in text:
            glyph, advance = _glyph(char, self.FONT.get_size_in_points())
            if len(glyph.vertices):
                parts.append(Path(glyph.vertices + np.array([x, 0.0]), glyph.codes))
            x += advance
        self.set_path(Path.make_compound_path(*parts) if parts else Path(np.zeros((1, 2))))


def _writer(req: Request) -> GifWriter | Mp4Writer:
    if req.fmt == "mp4":
        return Mp4Writer(fps=req.fps, codec="libx264", extra_args=["-pix_fmt", "yuv420p", "-preset", "veryfast"])
    return GifWriter(fps=req.fps)


def _background(ax, surface) -> None:
    """The contour map (filled levels and lines), minima (stars) and view, drawn once as an image."""
    xs, ys, z = surface.grid(GRID)
    lo, hi, _mid = shown_z_range(z)
    zc = np.clip(np.where(np.isfinite(z), z, hi), lo, hi)
    levels = np.linspace(lo, hi, 31) if hi > lo else 30
    ax.contourf(xs, ys, zc, levels=levels, cmap="viridis", rasterized=True)
    ax.contour(xs, ys, zc, levels=levels, colors="white", linewidths=0.3, alpha=0.5)
    m = surface.minima_array()
    if len(m):
        ax.scatter(m[:, 0], m[:, 1], marker="*", s=80, c="white", edgecolors="black", linewidths=0.8, zorder=5)
    (x0, x1), (y0, y1) = surface.domain
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x (w₁)")
    ax.set_ylabel("y (w₂)")


def _surface_3d(ax, surface) -> tuple[float, float]:
    """The 3-D surface (clipped z-range, as the dashboard's 3-D view), minima, labels; its (lo, hi)."""
    xs, ys, z = surface.grid(GRID_3D)
    lo, hi, _mid = shown_z_range(z)
    zc = np.clip(np.where(np.isfinite(z), z, hi), lo, hi)
    gx, gy = np.meshgrid(xs, ys)
    ax.plot_surface(gx, gy, zc, cmap="viridis", linewidth=0, antialiased=False, alpha=0.85, zorder=1)
    ax.computed_zorder = False  # the paths stay on top of the surface (mplot3d sorts whole artists)
    m = surface.minima_array()
    if len(m):
        mz = np.clip(surface.value(m[:, 0], m[:, 1]), lo, hi)
        ax.scatter(m[:, 0], m[:, 1], mz, marker="*", s=70, c="white", edgecolors="black", linewidths=0.6, zorder=5)
    (x0, x1), (y0, y1) = surface.domain
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_zlim(lo, hi if hi > lo else lo + 1)
    ax.set_xlabel("x (w₁)")
    ax.set_ylabel("y (w₂)")
    ax.set_zlabel(_("loss"))
    return lo, hi


def _loss_limits(outcomes: dict[str, Outcome], floor: float, log: bool) -> tuple[float, float]:
    values = []
    for o in outcomes.values():
        loss = o.result.loss[: o.points]
        loss = loss[np.isfinite(loss) & (np.abs(loss) < 1e30)]
        values.append(loss - floor if log else loss)
    allv = np.concatenate(values) if values else np.array([0.0, 1.0])
    if log:
        allv = np.maximum(allv, 1e-16)
        lo, hi = float(allv.min()), float(allv.max())
        return lo / 2, hi * 2
    lo, hi = (float(allv.min()), float(allv.max())) if allv.size else (0.0, 1.0)
    start_hi = max((float(o.result.loss[0]) for o in outcomes.values() if np.isfinite(o.result.loss[0])), default=hi)
    hi = min(hi, max(start_hi, lo) + abs(start_hi - lo) * 0.5)  # a diverging run does not flatten the rest
    pad = (hi - lo) * 0.05 or 1.0
    return lo - pad, hi + pad


def render(req: Request, scene: Scene, progress=None) -> bytes:
    """The animation ``req`` of ``scene`` as file bytes (GIF or MP4); ``progress(done, total)`` is
    called every few frames (it may raise to stop)."""
    surface = surface_of(scene)
    outcomes = with_exact_loss(run_scene(replace(scene, ensemble=0), surface), surface)  # data: every step's
    steps_at = frame_steps(scene.steps, req.frames)
    total = len(steps_at)
    fig = Figure(figsize=(req.width / DPI, req.height / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    cols = 2 if req.loss else 1
    ax = fig.add_subplot(1, cols, 1, projection="3d" if req.turn else None)
    axl = fig.add_subplot(1, cols, 2) if req.loss else None
    blit = not req.turn  # the turning view changes every pixel: each frame is drawn whole
    sx, sy = scene.start_point()
    if req.turn:
        zlo, zhi = _surface_3d(ax, surface)
        lift = 0.01 * (zhi - zlo)  # the paths just above the surface
        ax.plot([sx], [sy], [np.clip(surface.value(sx, sy), zlo, zhi) + lift], "o", ms=9, mfc="none", mec="black",
                mew=2, zorder=6)  # fmt: skip
    else:
        _background(ax, surface)
        ax.plot([sx], [sy], marker="o", ms=11, mfc="none", mec="white", mew=2.5, zorder=6)
    lines, heads, loss_lines = {}, {}, {}
    floor = loss_floor(outcomes, surface)
    for rule in outcomes:
        r = optimizers.RULES[rule]
        style = DASHES.get(r.dash, "--")
        xyz = ([], [], []) if req.turn else ([], [])
        (lines[rule],) = ax.plot(*xyz, style, color=r.color, lw=2, label=r.label, zorder=7, animated=blit)
        if req.turn:
            (heads[rule],) = ax.plot(*xyz, "o", color=r.color, mec="white", ms=7, zorder=8)
        if axl is not None:
            (loss_lines[rule],) = axl.plot([], [], style, color=r.color, lw=1.8, label=r.label, animated=blit)
    if blit:  # every path's head in one artist: one draw a frame
        colors = [optimizers.RULES[rule].color for rule in outcomes]
        head_xy = np.zeros((len(colors), 2))
        heads_all = ax.scatter(
            *head_xy.T, s=49, c=colors, edgecolors="white", linewidths=1, zorder=8, animated=True,
            offset_transform=IdentityTransform(),  # offsets in pixels, snapped (a resting head: same pixels)
        )  # fmt: skip
    ax.set_title(f"{surface.label}", fontsize=11)
    text = ax.text2D if req.turn else ax.text
    box = {"boxstyle": "round", "facecolor": "white", "alpha": 0.85, "edgecolor": "none"}
    where = {"x": 0.02, "y": 0.97, "transform": ax.transAxes, "va": "top", "ha": "left", "fontsize": 10, "zorder": 9}
    widest = _counter(scene.steps, scene.steps)  # digits are equally wide
    if blit:  # the counter's box is drawn once, sized for its widest text ...
        ghost = text(s=widest, color="none", bbox=box, **where)
        counter = _OutlineCounter(fig)  # ... and each frame draws its text as one outline path
    else:
        counter = text(s="", bbox=box, **where)
    if outcomes:
        (ax if axl is None else axl).legend(loc="upper right", fontsize=8, framealpha=0.85)
    if axl is not None:
        axl.set_xlim(0, scene.steps)
        axl.set_ylim(*_loss_limits(outcomes, floor, scene.log_loss))
        if scene.log_loss:
            axl.set_yscale("log")
        axl.set_xlabel(_("step"))
        axl.set_ylabel(_("loss − L* (L* = {floor})").format(floor=fmt(floor)) if scene.log_loss else _("loss"))
        axl.set_title(_("Loss per step"), fontsize=11)
        axl.grid(alpha=0.3)
    strides = {rule: stride_for(o.points, MAX_LINE_POINTS) for rule, o in outcomes.items()}
    writer = _writer(req)
    fd, path = tempfile.mkstemp(suffix="." + req.fmt)
    os.close(fd)
    try:
        with writer.saving(fig, path, DPI):
            canvas = fig.canvas
            if req.turn:
                ax.view_init(elev=ELEV, azim=AZIM)
            canvas.draw()  # the layout is settled here, then frozen: frames only blit
            fig.set_layout_engine("none")
            background = canvas.copy_from_bbox(fig.bbox)
            if blit:
                counter.place(ghost.get_window_extent(canvas.get_renderer()), widest)
            moving = [*lines.values(), *loss_lines.values(), counter]
            if blit:
                moving.insert(len(lines), heads_all)

            def draw(k: int, i: int):
                for row, (rule, o) in enumerate(outcomes.items()):
                    n = min(int(k), o.points - 1) + 1
                    s = strides[rule]
                    idx = np.r_[np.arange(0, n, s), n - 1]
                    p = o.result.path[idx]
                    if req.turn:
                        z = np.clip(o.result.loss[idx], zlo, zhi) + lift
                        lines[rule].set_data_3d(p[:, 0], p[:, 1], z)
                        heads[rule].set_data_3d(p[-1:, 0], p[-1:, 1], z[-1:])
                    else:
                        lines[rule].set_data(p[:, 0], p[:, 1])
                        head_xy[row] = p[-1]
                    if axl is not None:
                        loss = o.result.loss[idx]
                        loss_lines[rule].set_data(idx, np.maximum(loss - floor, 1e-16) if scene.log_loss else loss)
                counter.set_text(_counter(k, scene.steps))
                if blit:
                    with np.errstate(invalid="ignore"):
                        heads_all.set_offsets(np.floor(ax.transData.transform(head_xy)) + 0.5)
                else:
                    ax.view_init(elev=ELEV, azim=AZIM + 360.0 * i / total)  # once around over the frames
                    canvas.draw()
                    return canvas.buffer_rgba()
                canvas.restore_region(background)
                for artist in moving:
                    fig.draw_artist(artist)
                return canvas.buffer_rgba()

            if isinstance(writer, GifWriter):  # one palette for all frames, from the last (every colour is in it)
                writer.palette_from(draw(int(steps_at[-1]), total - 1))
            for i, k in enumerate(steps_at):
                writer.grab_rgba(draw(int(k), i))
                if progress is not None and (i % 10 == 9 or i == total - 1):
                    progress(i + 1, total)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def job(payload: dict, progress) -> bytes:
    """The job queue's entry point (``jobs.runner``): ``payload`` is ``Request.payload()``."""
    req, _notices = clamp(payload)
    scene, _notices = query_to_scene(req.query)
    with i18n.use(scene.lang):  # the words in the language of the page that asked (its link's lang=)
        return render(req, scene, progress)


def _counter(k: int, steps: int) -> str:
    """The frame's step counter, "step 1,200 of 2,000" in the current language."""
    return _("step {k} of {n}").format(k=number(k, "#,##0"), n=number(steps, "#,##0"))
