"""An exercise's scene: every frame's body placed once, the props around it, one picture frame.

:func:`build_scene` places the bodies of a sequence and of the key frames, the chair or
exercise bike where the body needs them, and finds the picture limits that fit them all, so
every frame of a movement shares the same floor. :func:`draw_props` and :func:`draw_water`
draw what is behind and in front of the body.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Polygon

from ..figures import style
from .body_model import CHAIR_BACK_HEIGHT, CHAIR_SEAT_HEIGHT, MAT_THICKNESS, SIDES, ExercisePoses
from .colours import DARK, LIGHT, mix
from .kinematics import Body, place
from .projection import Camera, outline

STEPS = 9  # poses in a movement's sequence, start and end included


@dataclass(frozen=True)
class Scene:
    """One exercise's bodies and props, placed once so every frame shares the same frame."""

    poses: ExercisePoses
    camera: Camera
    bodies: tuple[Body, ...]  # the sequence frames
    keys: tuple[Body, ...]  # the key frames
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    chair: tuple[np.ndarray, np.ndarray, np.ndarray, str] | None  # seat back edge, fwd, side, kind
    bike: Mapping[str, np.ndarray] | None


def _horizontal(v: np.ndarray) -> np.ndarray:
    h = np.array([v[0], 0.0, v[2]])
    n = float(np.linalg.norm(h))
    return h / n if n > 1e-6 else np.array([1.0, 0.0, 0.0])


def build_scene(ep: ExercisePoses, steps: int = STEPS) -> Scene:
    """Place every frame, then the props, and find one picture frame that fits them all."""
    cam = Camera.of(ep.view)
    bodies = tuple(place(ep, kf) for kf in ep.sequence(steps))
    keys = tuple(place(ep, kf) for kf in ep.frames)
    chair = None
    if "chair" in ep.props:
        ref = next(
            (
                b
                for b in keys
                if any(s in ("chair", "chair_back") for s in b.frame.rests_on.values())
            ),
            keys[0],
        )
        pelvis = ref.segments["pelvis"]
        fwd = _horizontal(np.array(pelvis.axis(0)))
        side = np.cross(fwd, [0.0, 1.0, 0.0])
        if "chair_back" in ref.frame.rests_on.values():
            hands = np.array(ref.part_centre("hands"))
            back = hands + fwd * 3.0
            chair = (np.array([back[0], 0.0, back[2]]), fwd, side, "behind")
        else:
            seat = np.array(ref.part_centre("pelvis"))
            back = seat - fwd * 16.0
            chair = (np.array([back[0], 0.0, back[2]]), fwd, side, "under")
    bike = None
    if "exercise_bike" in ep.props:
        ref = keys[0]
        pedals = [np.array(ref.segments[f"{s}_foot"].point(0.75)) for s in SIDES]
        crank = (pedals[0] + pedals[1]) / 2
        crank[2] = 0.0
        saddle = np.array(ref.part_centre("pelvis"))
        saddle[1] = ref.part_low("pelvis")
        saddle[2] = 0.0
        bars = np.array(ref.part_centre("hands"))
        bars[2] = 0.0
        bike = MappingProxyType({"crank": crank, "saddle": saddle, "bars": bars})
    pts = []
    for b in bodies + keys:
        for seg in b.segments.values():
            pts.append(outline(cam, seg))
    allpts = np.vstack(pts)
    x0, y0 = allpts.min(axis=0)
    x1, y1 = allpts.max(axis=0)
    if ep.ground is not None and abs(ep.view.azimuth) < 30 and ep.view.elevation < 30:
        y0 = min(y0, cam.xy([0.0, 0.0, 70.0])[1], cam.xy([0.0, 0.0, 0.0])[1] - 6.0)
    if chair is not None:
        for poly in _chair_polys(cam, chair):
            x0, y0 = min(x0, poly[:, 0].min()), min(y0, poly[:, 1].min())
            x1, y1 = max(x1, poly[:, 0].max()), max(y1, poly[:, 1].max())
    if bike is not None:
        for item in _bike_shapes(cam, bike):
            poly = item[0]
            x0, y0 = min(x0, poly[:, 0].min()), min(y0, poly[:, 1].min())
            x1, y1 = max(x1, poly[:, 0].max()), max(y1, poly[:, 1].max())
    pad = 12.0
    xlim = (x0 - pad, x1 + pad)
    ylim = (y0 if ep.ground is not None else y0 - pad, y1 + pad)
    return Scene(ep, cam, bodies, keys, xlim, ylim, chair, bike)


# --------------------------------------------------------------------------- props


def _box(
    cam: Camera, origin: np.ndarray, axes: Sequence[np.ndarray], size: Sequence[float]
) -> np.ndarray:
    """The projected outline of a box with one corner at origin and edges along axes."""
    corners = [
        origin + i * size[0] * axes[0] + j * size[1] * axes[1] + k * size[2] * axes[2]
        for i in (0, 1)
        for j in (0, 1)
        for k in (0, 1)
    ]
    return _hull(np.array([cam.xy(c) for c in corners]))


def _hull(points: np.ndarray) -> np.ndarray:
    """Convex hull (monotone chain), counter-clockwise."""
    pts = sorted(set(map(tuple, np.round(points, 6))))
    if len(pts) < 3:
        return np.array(pts)

    def cross(o: tuple, a: tuple, b: tuple) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1])


def _chair_polys(
    cam: Camera, chair: tuple[np.ndarray, np.ndarray, np.ndarray, str]
) -> list[np.ndarray]:
    back, fwd, side, _kind = chair
    up = np.array([0.0, 1.0, 0.0])
    width, depth, seat_h = 44.0, 42.0, CHAIR_SEAT_HEIGHT
    polys = []
    origin = back - side * width / 2
    leg = 3.0
    # legs: back pair, front pair (drawn as thin boxes)
    for fx in (0.0, depth - leg):
        for sx in (0.0, width - leg):
            o = origin + fwd * fx + side * sx
            polys.append((cam.depth(o), _box(cam, o, (fwd, side, up), (leg, leg, seat_h - 3))))
    seat = origin + up * (seat_h - 3.0)
    polys.append(
        (cam.depth(seat + fwd * depth / 2), _box(cam, seat, (fwd, side, up), (depth, width, 3.0)))
    )
    # back posts and backrest
    for sx in (0.0, width - leg):
        o = origin + side * sx + up * seat_h
        polys.append(
            (cam.depth(o), _box(cam, o, (fwd, side, up), (leg, leg, CHAIR_BACK_HEIGHT - seat_h)))
        )
    rest = origin + up * (CHAIR_BACK_HEIGHT - 16.0)
    polys.append((cam.depth(rest), _box(cam, rest, (fwd, side, up), (2.5, width, 16.0))))
    return [p for _, p in sorted(polys, key=lambda dp: dp[0])]


def _bike_shapes(cam: Camera, bike: Mapping[str, np.ndarray]) -> list[tuple[np.ndarray, str]]:
    """The exercise bike: base, frame tubes, flywheel, saddle and handlebars (polygons)."""
    crank, saddle, bars = bike["crank"], bike["saddle"], bike["bars"]
    shapes: list[tuple[np.ndarray, str]] = []

    def tube(a: np.ndarray, b: np.ndarray, r: float) -> np.ndarray:
        a2, b2 = cam.xy(a), cam.xy(b)
        d = b2 - a2
        n = float(np.linalg.norm(d)) or 1.0
        perp = np.array([-d[1], d[0]]) / n * r
        t = np.linspace(0, math.pi, 8)
        cap_b = [b2 + perp * math.cos(x) + d / n * r * math.sin(x) for x in t]
        cap_a = [a2 - perp * math.cos(x) - d / n * r * math.sin(x) for x in t]
        return np.array(cap_b + cap_a)

    fwd = np.array([1.0 if bars[0] >= saddle[0] else -1.0, 0.0, 0.0])
    wheel = crank + fwd * 38.0 + np.array([0.0, 4.0, 0.0])
    rear = np.array([saddle[0] - fwd[0] * 30.0, 0.0, 0.0])
    front = np.array([wheel[0] + fwd[0] * 18.0, 0.0, 0.0])
    up = np.array([0.0, 1.0, 0.0])
    shapes.append((tube(rear + 3 * up, front + 3 * up, 3.0), "frame"))
    shapes.append((tube(rear + 3 * up, crank, 3.0), "frame"))
    shapes.append((tube(crank, saddle - 5 * up, 2.6), "frame"))
    shapes.append((tube(crank, wheel, 2.6), "frame"))
    shapes.append((tube(wheel, front + 3 * up, 2.6), "frame"))
    shapes.append((tube(wheel, bars - fwd * 4.0, 2.6), "frame"))
    t = np.linspace(0, 2 * math.pi, 40, endpoint=False)
    centre = cam.xy(wheel)
    shapes.append((centre + 22.0 * np.column_stack([np.cos(t), np.sin(t)]), "wheel"))
    shapes.append((tube(saddle - fwd * 12 - 2.5 * up, saddle + fwd * 10 - 2.5 * up, 2.8), "saddle"))
    shapes.append((tube(bars - fwd * 6.0, bars + fwd * 3.0, 1.8), "saddle"))
    return shapes


def draw_props(ax: Axes, scene: Scene) -> None:
    ep, cam = scene.poses, scene.camera
    if ep.ground is not None:
        # the floor: a strip of ground seen from slightly above, with its front edge
        side_on = abs(ep.view.azimuth) < 30 and ep.view.elevation < 30
        far, near = (-70.0, 70.0) if side_on else (-400.0, 400.0)
        span = 400.0
        corners = [
            np.array(c)
            for c in ((-span, 0, far), (span, 0, far), (span, 0, near), (-span, 0, near))
        ]
        ax.add_artist(
            Polygon([cam.xy(c) for c in corners], closed=True, color=style.FLOOR, lw=0, zorder=0)
        )
    if "mat" in ep.props:
        xs = [
            p
            for b in scene.bodies + scene.keys
            for s in b.segments.values()
            for p in (s.start[0], s.end[0])
        ]
        lo, hi = min(xs) - 22.0, max(xs) + 22.0
        if hi - lo < 180:
            mid = (hi + lo) / 2
            lo, hi = mid - 90, mid + 90
        # a real mat is about 64 cm wide: arms out to the side reach past it onto the floor
        zl, zh = -32.0, 32.0
        o = np.array([lo, 0.0, zl])
        axes = (np.array([1.0, 0, 0]), np.array([0, 0, 1.0]), np.array([0, 1.0, 0]))
        poly = _box(cam, o, axes, (hi - lo, zh - zl, MAT_THICKNESS))
        ax.add_artist(
            Polygon(
                poly,
                closed=True,
                fc=style.MAT,
                ec=mix(style.MAT, DARK, 0.45),
                lw=1.0,
                zorder=1,
            )
        )
    if scene.chair is not None:
        for poly in _chair_polys(cam, scene.chair):
            ax.add_artist(
                Polygon(poly, closed=True, fc=style.PROP, ec=style.PROP_EDGE, lw=1.0, zorder=1.2)
            )
    if scene.bike is not None:
        for poly, kind in _bike_shapes(cam, scene.bike):
            if kind == "wheel":
                ax.add_artist(
                    Polygon(
                        poly,
                        closed=True,
                        fc=mix(style.PROP, LIGHT, 0.4),
                        ec=style.PROP_EDGE,
                        lw=2.0,
                        zorder=1.1,
                    )
                )
            else:
                fc = style.PROP_EDGE if kind == "saddle" else style.PROP
                ax.add_artist(
                    Polygon(poly, closed=True, fc=fc, ec=style.PROP_EDGE, lw=1.0, zorder=1.2)
                )


def draw_water(ax: Axes, scene: Scene) -> None:
    if "pool" not in scene.poses.props:
        return
    x0, x1 = scene.xlim
    y0, _ = scene.ylim
    wy = scene.camera.xy([0.0, 0.0, 0.0])[1]
    xs = np.linspace(x0 - 20, x1 + 20, 120)
    ys = wy + 1.2 * np.sin(xs / 9.0)
    poly = np.vstack([np.column_stack([xs, ys]), [[x1 + 20, y0 - 50], [x0 - 20, y0 - 50]]])
    ax.add_artist(Polygon(poly, closed=True, fc=style.WATER, alpha=0.25, lw=0, zorder=40))
    ax.plot(xs, ys, color=mix(style.WATER, DARK, 0.35), lw=1.5, zorder=41)
