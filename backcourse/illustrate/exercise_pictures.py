"""Exercise illustrations: the body model drawn as a clean 2-D figure, from poses.yaml.

Every exercise with key frames in ``course_data/poses.yaml`` gets, for free:

- :func:`exercise_figure` - the start and end positions side by side, target muscles
  highlighted on the body, a short caption;
- :func:`exercise_frames` - PNG frames of the movement from start to end, for a slider;
- :func:`loop_frames` - small frames of the movement for the session player;
- :func:`sequence_figure` - the same movement as one filmstrip picture (for print).

The scene is built in :mod:`~backcourse.illustrate.scene` and each body drawn by
:mod:`~backcourse.illustrate.body`; this module lays out the figures and their words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.path import Path

from ..figures import style
from ..model import Course, Exercise
from .body import draw_body, muscle_pieces
from .body_model import ExercisePoses, KeyFrame, RegionPiece
from .kinematics import Body, place
from .scene import STEPS, Scene, build_scene, draw_props, draw_water


def _prepare_axes(ax: Axes, scene: Scene) -> None:
    """Equal scales, no ticks or frame; the x label stays available for a caption."""
    ax.set_xlim(*scene.xlim)
    ax.set_ylim(*scene.ylim)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("none")
    for spine in ax.spines.values():
        spine.set_visible(False)


def _motion_arrow(ax: Axes, scene: Scene) -> None:
    """A dashed arrow along the path of the point that moves most from start to end."""
    cam = scene.camera

    def track(seg: str, e: float) -> np.ndarray:
        return np.array([cam.xy(b.segments[seg].point(e)) for b in scene.bodies])

    # Prefer the hips: when they travel, that is the movement; otherwise the point that
    # moves furthest (a hand reaching, a foot lifting).
    best = None
    hips = track("pelvis", 0.5)
    if float(np.linalg.norm(hips[-1] - hips[0])) >= 14.0:
        best = (float(np.linalg.norm(hips[-1] - hips[0])), hips)
    else:
        for seg in scene.bodies[0].segments:
            for e in (0.0, 1.0):
                path = track(seg, e)
                d = float(np.linalg.norm(path[-1] - path[0]))
                if best is None or d > best[0] + 1e-6:
                    best = (d, path)
    if best is None or best[0] < 12.0:
        return
    # follow the chosen point finely (the scene's few steps make a jagged path)
    chosen = best[1]
    seg, e = min(
        ((s, e) for s in scene.bodies[0].segments for e in (0.0, 0.5, 1.0)),
        key=lambda se: float(np.abs(track(*se) - chosen).max()),
    )
    ep = scene.poses
    fine = [place(ep, kf) for kf in ep.sequence(41)]
    path = np.array([cam.xy(b.segments[seg].point(e)) for b in fine])
    # trim the ends so the arrow sits between the two positions, not on the limb
    total = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))])
    keep = (total >= total[-1] * 0.12) & (total <= total[-1] * 0.88)
    pts = path[keep]
    if len(pts) < 2:
        return
    halo = FancyArrowPatch(
        path=Path(pts), arrowstyle="-|>", mutation_scale=22, lw=5.5, color="white", zorder=59
    )
    arrow = FancyArrowPatch(
        path=Path(pts), arrowstyle="-|>", mutation_scale=22, lw=2.4, color=style.ACCENT, zorder=60
    )
    ax.add_artist(halo)
    ax.add_artist(arrow)


# --------------------------------------------------------------------------- public API


def _poses_for(exercise: Exercise, course: Course) -> ExercisePoses | None:
    ep = course.poses.get(exercise.id) if course.poses else None
    return ep if isinstance(ep, ExercisePoses) else None


def _muscle_words(course: Course, ids: Iterable[str]) -> list[str]:
    words = []
    for m in ids:
        muscle = course.muscles.get(m)
        words.append(muscle.name if muscle else m.replace("_", " "))
    return words


def _frame_caption(kf: KeyFrame) -> str:
    return kf.caption[:1].upper() + kf.caption[1:] if kf.caption else ""


def _missing_figure(exercise: Exercise) -> Figure:
    fig = style.figure(8, 3, alt_text=f"{exercise.name}: no illustration yet.")
    with style.context():
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(
            0.5,
            0.6,
            exercise.name,
            ha="center",
            va="center",
            fontsize=18,
            weight="bold",
            transform=ax.transAxes,
        )
        ax.text(
            0.5,
            0.35,
            "No illustration yet: add key frames for this exercise to poses.yaml.",
            ha="center",
            va="center",
            color=style.MUTED,
            transform=ax.transAxes,
        )
    return fig


def _side_note(ep: ExercisePoses) -> str:
    return "Shown for one side; repeat on the other side." if ep.one_side else ""


@style.styled
def exercise_figure(exercise: Exercise, course: Course) -> Figure:
    """The exercise's start and end positions side by side, target muscles highlighted.

    Parameters
    ----------
    exercise
        An exercise of ``course`` (``course.exercises[id]``).
    course
        The loaded course; its ``poses`` give the key frames and its ``muscles`` the names.

    Returns
    -------
    Figure
        With ``alt_text`` describing both positions and the highlighted muscles.
    """
    ep = _poses_for(exercise, course)
    if ep is None:
        return _missing_figure(exercise)
    scene = build_scene(ep)
    pieces = muscle_pieces(course, exercise.muscles, ep)
    wx = scene.xlim[1] - scene.xlim[0]
    wy = scene.ylim[1] - scene.ylim[0]
    panel_h = min(5.2, max(2.4, 5.6 * wy / wx))
    panel_w = panel_h * wx / wy
    fig_w = max(2 * panel_w + 0.5, 9.0)
    chars = int(fig_w * 9.5)
    fig = style.figure(fig_w, panel_h + 2.0)
    axes = fig.subplots(1, 2)
    for ax, body, title in ((axes[0], scene.keys[0], "Start"), (axes[1], scene.keys[-1], "End")):
        _prepare_axes(ax, scene)
        draw_props(ax, scene)
        if title == "End":
            draw_body(ax, scene, scene.keys[0], ghost=True, zorder=1.5)
        draw_body(ax, scene, body, pieces)
        draw_water(ax, scene)
        if title == "End":
            _motion_arrow(ax, scene)
        ax.set_title(title, loc="left", fontsize=style.BASE_SIZE + 1)
        ax.set_xlabel(
            style.wrap(_frame_caption(body.frame), chars // 2 - 4),
            fontsize=style.BASE_SIZE - 0.5,
            color=style.INK,
        )
    fig.suptitle(exercise.name, x=0.01, ha="left")
    names = _muscle_words(course, exercise.muscles)
    label = style.wrap("Target muscles: " + ", ".join(names), chars - 8)
    handles = [Patch(fc=style.HIGHLIGHT, ec="none", label=label)]
    note = " ".join(x for x in (ep.caption, _side_note(ep)) if x)
    fig.legend(
        handles=handles,
        loc="outside lower left",
        fontsize=style.BASE_SIZE - 0.5,
        handlelength=1.2,
        title=style.wrap(note, chars) or None,
        title_fontsize=style.BASE_SIZE - 1.5,
        alignment="left",
    )
    view = {
        "side": "side view",
        "front": "front view",
        "back": "view from behind",
        "above": "view from above",
    }.get(ep.view.name, "view at an angle")
    fig.alt_text = (  # type: ignore[attr-defined]
        f"Illustration of {exercise.name} ({view}), start and end positions side by side. "
        f"Start: {ep.start.caption or 'starting position'}. "
        f"End: {ep.end.caption or 'end position'}. "
        f"Target muscles highlighted in orange-red: {', '.join(names)}."
        + (f" {_side_note(ep)}" if ep.one_side else "")
    )
    return fig


def _frame_figure(
    scene: Scene, body: Body, pieces: Sequence[RegionPiece], title: str, caption: str
) -> Figure:
    wx = scene.xlim[1] - scene.xlim[0]
    wy = scene.ylim[1] - scene.ylim[0]
    h = 4.2
    w = min(8.0, max(3.6, h * wx / wy))
    fig = style.figure(w, h + 0.9)
    ax = fig.add_subplot()
    _prepare_axes(ax, scene)
    draw_props(ax, scene)
    draw_body(ax, scene, body, pieces)
    draw_water(ax, scene)
    ax.set_title(title, loc="left", fontsize=style.BASE_SIZE + 1)
    ax.set_xlabel(
        style.wrap(caption, int(w * 9)) or " ", fontsize=style.BASE_SIZE - 1, color=style.MUTED
    )
    return fig


@style.styled
def exercise_frames(exercise: Exercise, course: Course, steps: int = STEPS) -> list[bytes]:
    """PNG frames of the movement from start to end (both included), for a slider.

    Every frame has the same size and the same picture frame, so the body moves and the
    floor stays still. ``steps`` must be at least 2.
    """
    ep = _poses_for(exercise, course)
    if ep is None:
        return [style.to_png(_missing_figure(exercise))]
    scene = build_scene(ep, steps)
    pieces = muscle_pieces(course, exercise.muscles, ep)
    frames = []
    n = len(ep.frames) - 1
    for i, body in enumerate(scene.bodies):
        t = i / (steps - 1)
        key = ep.frames[round(t * n)]
        caption = _frame_caption(key) if abs(t * n - round(t * n)) < 1e-9 else ""
        fig = _frame_figure(scene, body, pieces, f"{exercise.name}  ({i + 1}/{steps})", caption)
        frames.append(style.to_png(fig))
    return frames


@style.styled
def loop_frames(
    exercise: Exercise, course: Course, *, steps: int, dpi: int, colours: int
) -> list[bytes]:
    """Small PNG frames of the movement, body and floor only, for the session player's loop.

    Like :func:`exercise_frames` without titles or captions (the player shows the words),
    at a lower resolution and with a small palette (as the shipped pictures) so a whole
    routine's loops are quick to draw and to send. ``make pictures`` ships them for the
    bundled exercises (:func:`backcourse.illustrate.bundled.frames`, whose ``FRAME_STEPS``,
    ``FRAME_DPI`` and ``PICTURE_COLOURS`` are the player's).
    """
    ep = _poses_for(exercise, course)
    if ep is None:
        return [style.to_png(_missing_figure(exercise), dpi=dpi, colours=colours)]
    scene = build_scene(ep, steps)
    pieces = muscle_pieces(course, exercise.muscles, ep)
    return [
        style.to_png(_frame_figure(scene, body, pieces, "", ""), dpi=dpi, colours=colours)
        for body in scene.bodies
    ]


@style.styled
def sequence_figure(exercise: Exercise, course: Course, steps: int = 5) -> Figure:
    """The movement as one filmstrip: ``steps`` poses from start to end, left to right."""
    ep = _poses_for(exercise, course)
    if ep is None:
        return _missing_figure(exercise)
    scene = build_scene(ep, steps)
    pieces = muscle_pieces(course, exercise.muscles, ep)
    wx = scene.xlim[1] - scene.xlim[0]
    wy = scene.ylim[1] - scene.ylim[0]
    pw = 3.0
    ph = min(4.2, max(1.3, pw * wy / wx))
    pw = ph * wx / wy
    fig = style.figure(pw * steps + 0.4, ph + 0.8)
    axes = fig.subplots(1, steps)
    for i, (ax, body) in enumerate(zip(axes, scene.bodies, strict=True)):
        _prepare_axes(ax, scene)
        draw_props(ax, scene)
        draw_body(ax, scene, body, pieces)
        draw_water(ax, scene)
        ax.set_title(f"{i + 1}", fontsize=style.BASE_SIZE - 1, color=style.MUTED)
    fig.suptitle(
        f"{exercise.name}: the movement, step by step",
        x=0.01,
        ha="left",
        fontsize=style.BASE_SIZE + 2,
    )
    fig.alt_text = (  # type: ignore[attr-defined]
        f"Filmstrip of {exercise.name} in {steps} steps, from "
        f"{ep.start.caption or 'the start'} to {ep.end.caption or 'the end'}."
    )
    return fig


def frame_alt_texts(exercise: Exercise, course: Course, steps: int = STEPS) -> list[str]:
    """One alt text per frame of :func:`exercise_frames`, for the slider's description."""
    ep = _poses_for(exercise, course)
    if ep is None:
        return [f"{exercise.name}: no illustration yet."]
    out = []
    n = len(ep.frames) - 1
    for i in range(steps):
        t = i / (steps - 1)
        key = ep.frames[round(t * n)]
        at_key = abs(t * n - round(t * n)) < 1e-9
        where = key.caption or key.name if at_key else "moving between positions"
        out.append(f"{exercise.name}, step {i + 1} of {steps}: {where}.")
    return out


def describe(ep: ExercisePoses) -> dict[str, Any]:
    """Plain data about an exercise's poses (for tests and the trainers' notebook)."""
    return {
        "view": ep.view.name,
        "props": list(ep.props),
        "frames": [kf.name for kf in ep.frames],
        "one_side": ep.one_side,
    }
