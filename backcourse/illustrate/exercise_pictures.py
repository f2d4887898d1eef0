"""Exercise illustrations: the body model of ``posedata`` drawn as a clean 2-D figure.

Every exercise with key frames in ``course_data/poses.yaml`` gets, for free:

- :func:`exercise_figure` - the start and end positions side by side, target muscles
  highlighted on the body, a short caption;
- :func:`exercise_frames` - PNG frames of the movement from start to end, for a slider;
- :func:`sequence_figure` - the same movement as one filmstrip picture (for print).

The body is a 3-D model seen from the exercise's view: each segment is a rounded, tapering
solid whose outline is projected onto the picture, near limbs drawn darker and over far ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Patch, PathPatch, Polygon
from matplotlib.path import Path

from ..figures import style
from ..model import Course, Exercise
from . import poses as pd

GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "trunk": ("pelvis", "lumbar", "thorax", "neck", "head"),
        **{
            f"{side}_{limb}": tuple(f"{side}_{s}" for s in segs)
            for side in pd.SIDES
            for limb, segs in (
                ("leg", ("thigh", "shank", "foot")),
                ("arm", ("upper_arm", "forearm", "hand")),
            )
        },
    }
)
# Tie-breaks when groups are about as near as each other: legs behind the pelvis, arms in front.
_GROUP_BIAS = {"trunk": 0.0, "right_leg": -2.5, "left_leg": -2.5, "right_arm": 2.5, "left_arm": 2.5}
_SURFACE_ANGLES: Mapping[str, tuple[tuple[float, float], ...]] = MappingProxyType(
    {
        "front": ((-60.0, 60.0),),
        "back": ((120.0, 240.0),),
        "side": ((45.0, 135.0), (225.0, 315.0)),
        "all": ((0.0, 360.0),),
    }
)
STEPS = 9
EDGE_WIDTH = 1.3


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Camera:
    """Projects world points (cm) onto the picture: ``right`` and ``up`` span the picture,
    ``towards`` points at the viewer (larger depth = nearer)."""

    right: np.ndarray
    up: np.ndarray
    towards: np.ndarray

    @classmethod
    def of(cls, view: pd.View) -> Camera:
        az, el = math.radians(view.azimuth), math.radians(view.elevation)
        towards = np.array([math.sin(az) * math.cos(el), math.sin(el), math.cos(az) * math.cos(el)])
        right = np.array([math.cos(az), 0.0, -math.sin(az)])
        up = np.cross(towards, right)
        return cls(right, up, towards)

    @property
    def plane(self) -> np.ndarray:
        return np.vstack([self.right, self.up])

    def xy(self, p: Sequence[float] | np.ndarray) -> np.ndarray:
        return self.plane @ np.asarray(p, dtype=float)

    def depth(self, p: Sequence[float] | np.ndarray) -> float:
        return float(np.asarray(p, dtype=float) @ self.towards)


def _ellipse_matrix(cam: Camera, seg: pd.Segment, end: int) -> tuple[np.ndarray, np.ndarray]:
    """Centre and 2x2 shape matrix Q of a segment end (an ellipsoid) as the camera sees it:
    the outline is {c + L u : |u| = 1} with L L^T = Q."""
    centre = seg.start if end == 0 else seg.end
    semi = seg.semi_start if end == 0 else seg.semi_end
    m = cam.plane @ np.array(seg.frame) @ np.diag(semi)
    return cam.xy(centre), m @ m.T + np.eye(2) * 1e-9


_DIRS = np.column_stack(
    [
        np.cos(np.linspace(0.0, 2 * math.pi, 48, endpoint=False)),
        np.sin(np.linspace(0.0, 2 * math.pi, 48, endpoint=False)),
    ]
)


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


def outline(cam: Camera, seg: pd.Segment) -> np.ndarray:
    """The projected outline of a segment: the convex hull of its two rounded ends, found as
    the support points of the two ellipses in 48 directions (counter-clockwise)."""
    best_val = np.full(len(_DIRS), -np.inf)
    best_pt = np.zeros((len(_DIRS), 2))
    for end in (0, 1):
        c, q = _ellipse_matrix(cam, seg, end)
        qd = _DIRS @ q  # rows: Q d (Q is symmetric)
        h = np.sqrt(np.einsum("ij,ij->i", qd, _DIRS))
        pts = c + qd / h[:, None]
        val = _DIRS @ c + h
        take = val > best_val
        best_val[take] = val[take]
        best_pt[take] = pts[take]
    return best_pt


def _bands(
    cam: Camera, seg: pd.Segment, piece: pd.RegionPiece, side_sign: float
) -> list[np.ndarray]:
    """The visible parts of one muscle region piece, as polygons (none when out of sight).

    A surface that wraps both flanks ("side") gives one polygon per flank.
    """
    a0, a1 = np.array(seg.start), np.array(seg.end)
    axis = a1 - a0
    length = float(np.linalg.norm(axis))
    if length < 1e-6:
        return []
    unit = axis / length
    c0 = seg.extent(0, tuple(-unit))
    c1 = seg.extent(1, tuple(unit))
    ax2 = cam.xy(a1 + unit * c1) - cam.xy(a0 - unit * c0)
    n2 = float(np.linalg.norm(ax2))
    if n2 < 1e-3 * (length + c0 + c1):
        return []
    perp = np.array([-ax2[1], ax2[0]]) / n2
    frame = np.array(seg.frame)
    fwd, side = frame[:, 0], frame[:, 2]
    surface = piece.surface
    if surface in ("outer", "inner"):
        # a limb's outer side is its right side for a right limb, its left for a left one
        sign = side_sign if surface == "outer" else -side_sign
        ranges: tuple[tuple[float, float], ...] = (
            ((45.0, 135.0),) if sign >= 0 else ((225.0, 315.0),)
        )
    else:
        ranges = _SURFACE_ANGLES[surface]
    total = length + c0 + c1
    polys = []
    for lo_deg, hi_deg in ranges:
        phis = np.radians(np.linspace(lo_deg, hi_deg, 25))
        left: list[np.ndarray] = []
        right: list[np.ndarray] = []
        for s in np.linspace(piece.start, piece.end, 14):
            d = s * total - c0  # distance along the axis from the start joint
            f = min(1.0, max(0.0, d / length))
            sa = np.array(seg.semi_start) * (1 - f) + np.array(seg.semi_end) * f
            centre = a0 + unit * d
            pts = (
                centre[None, :]
                + np.cos(phis)[:, None] * sa[0] * fwd[None, :]
                + np.sin(phis)[:, None] * sa[2] * side[None, :]
            )
            normals = np.cos(phis)[:, None] / sa[0] * fwd + np.sin(phis)[:, None] / sa[2] * side
            visible = normals @ cam.towards > -1e-3
            if not visible.any():
                continue
            offs = (cam.plane @ (pts[visible] - centre).T).T @ perp
            c2 = cam.xy(centre)
            left.append(c2 + perp * offs.min())
            right.append(c2 + perp * offs.max())
        if len(left) >= 2:
            polys.append(np.vstack(left + right[::-1]))
    return polys


def _mix(colour: str, other: str, t: float) -> tuple[float, float, float]:
    a, b = np.array(to_rgb(colour)), np.array(to_rgb(other))
    return tuple(a + (b - a) * t)  # type: ignore[return-value]


def _shade(rel_depth: float) -> tuple[float, float, float]:
    """Body colour by depth relative to the trunk: near darker, far lighter."""
    t = max(-1.0, min(1.0, rel_depth / 14.0))
    if t >= 0:
        return _mix(style.BODY_MID, style.BODY_NEAR, t)
    return _mix(style.BODY_MID, style.BODY_FAR, -t)


# --------------------------------------------------------------------------- the scene


@dataclass(frozen=True)
class Scene:
    """One exercise's bodies and props, placed once so every frame shares the same frame."""

    poses: pd.ExercisePoses
    camera: Camera
    bodies: tuple[pd.Body, ...]  # the sequence frames
    keys: tuple[pd.Body, ...]  # the key frames
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    chair: tuple[np.ndarray, np.ndarray, np.ndarray, str] | None  # seat back edge, fwd, side, kind
    bike: Mapping[str, np.ndarray] | None


def _horizontal(v: np.ndarray) -> np.ndarray:
    h = np.array([v[0], 0.0, v[2]])
    n = float(np.linalg.norm(h))
    return h / n if n > 1e-6 else np.array([1.0, 0.0, 0.0])


def build_scene(ep: pd.ExercisePoses, steps: int = STEPS) -> Scene:
    """Place every frame, then the props, and find one picture frame that fits them all."""
    cam = Camera.of(ep.view)
    bodies = tuple(pd.place(ep, kf) for kf in ep.sequence(steps))
    keys = tuple(pd.place(ep, kf) for kf in ep.frames)
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
        pedals = [np.array(ref.segments[f"{s}_foot"].point(0.75)) for s in pd.SIDES]
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


def _chair_polys(
    cam: Camera, chair: tuple[np.ndarray, np.ndarray, np.ndarray, str]
) -> list[np.ndarray]:
    back, fwd, side, _kind = chair
    up = np.array([0.0, 1.0, 0.0])
    width, depth, seat_h = 44.0, 42.0, pd.CHAIR_SEAT_HEIGHT
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
            (cam.depth(o), _box(cam, o, (fwd, side, up), (leg, leg, pd.CHAIR_BACK_HEIGHT - seat_h)))
        )
    rest = origin + up * (pd.CHAIR_BACK_HEIGHT - 16.0)
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


def _draw_props_behind(ax: Axes, scene: Scene) -> None:
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
        poly = _box(cam, o, axes, (hi - lo, zh - zl, pd.MAT_THICKNESS))
        ax.add_artist(
            Polygon(
                poly,
                closed=True,
                fc=style.MAT,
                ec=_mix(style.MAT, "#000000", 0.45),
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
                        fc=_mix(style.PROP, "#FFFFFF", 0.4),
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


def _draw_water(ax: Axes, scene: Scene) -> None:
    if "pool" not in scene.poses.props:
        return
    x0, x1 = scene.xlim
    y0, _ = scene.ylim
    wy = scene.camera.xy([0.0, 0.0, 0.0])[1]
    xs = np.linspace(x0 - 20, x1 + 20, 120)
    ys = wy + 1.2 * np.sin(xs / 9.0)
    poly = np.vstack([np.column_stack([xs, ys]), [[x1 + 20, y0 - 50], [x0 - 20, y0 - 50]]])
    ax.add_artist(Polygon(poly, closed=True, fc=style.WATER, alpha=0.25, lw=0, zorder=40))
    ax.plot(xs, ys, color=_mix(style.WATER, "#000000", 0.35), lw=1.5, zorder=41)


# --------------------------------------------------------------------------- the body


def muscle_pieces(
    course: Course, muscle_ids: Iterable[str], poses: pd.ExercisePoses
) -> list[pd.RegionPiece]:
    """The region pieces of muscles on the figure; a muscle with no region of its own uses its
    group's region, so a trainer's new muscle is still highlighted."""
    regions = poses.settings.regions
    out: list[pd.RegionPiece] = []
    for m in muscle_ids:
        pieces = regions.get(m)
        if pieces is None and m in course.muscles:
            pieces = regions.get(course.muscles[m].group)
        out.extend(pieces or ())
    return out


def _segment_names(piece: pd.RegionPiece) -> list[tuple[str, float]]:
    if piece.segment in pd.TRUNK_SEGMENTS:
        return [(piece.segment, 0.0)]
    return [(f"{side}_{piece.segment}", 1.0 if side == "right" else -1.0) for side in pd.SIDES]


def draw_body(
    ax: Axes,
    scene: Scene,
    body: pd.Body,
    pieces: Sequence[pd.RegionPiece] = (),
    ghost: bool = False,
    zorder: float = 2.0,
) -> None:
    """Draw one posed body: groups from far to near, each as one outlined silhouette."""
    cam = scene.camera
    segs = body.segments
    # Sort groups by the depth of their first segment (thigh, upper arm), which is where a
    # limb overlaps the trunk; shade limbs by which side of the body faces the viewer.
    trunk_depth = cam.depth(segs["pelvis"].point(0.5))
    facing = float(np.array(segs["pelvis"].axis(2)) @ cam.towards)
    order = []
    for name, members in GROUPS.items():
        d = cam.depth(segs[members[0]].point(0.5)) - trunk_depth
        if name == "trunk":
            rel = 0.0
        else:
            rel = (1.0 if name.startswith("right") else -1.0) * facing * 14.0
        order.append((d + _GROUP_BIAS[name], name, rel))
    order.sort()
    by_segment: dict[str, list[tuple[pd.RegionPiece, float]]] = {}
    for piece in pieces:
        for seg_name, sign in _segment_names(piece):
            by_segment.setdefault(seg_name, []).append((piece, sign))
    z = zorder
    ghost_polys: list[np.ndarray] = []
    for _, name, rel in order:
        members = GROUPS[name]
        polys = {m: outline(cam, segs[m]) for m in members}
        extra: list[np.ndarray] = []
        if name == "trunk":
            extra.append(_nose(cam, segs["head"]))
        fill = _shade(rel)
        if ghost:
            ghost_polys.extend(list(polys.values()) + extra)
            continue
        edge = _mix(style.BODY_EDGE, "#FFFFFF", 0.35) if rel < -6 else style.BODY_EDGE
        shapes = list(polys.values()) + extra
        # the outline trick: thick edges first, then the fills over them, so the group reads
        # as one silhouette without seams where its segments overlap
        ax.add_collection(
            PolyCollection(
                shapes,
                closed=True,
                facecolors=[edge],
                edgecolors=[edge],
                linewidths=EDGE_WIDTH * 2,
                joinstyle="round",
                zorder=z,
            ),
            autolim=False,
        )
        z += 0.01
        ax.add_collection(
            PolyCollection(
                shapes, closed=True, facecolors=[fill], edgecolors="none", linewidths=0, zorder=z
            ),
            autolim=False,
        )
        z += 0.01
        hl = style.HIGHLIGHT if rel > -6 else _mix(style.HIGHLIGHT, "#FFFFFF", 0.35)
        for m in members:
            for piece, sign in by_segment.get(m, ()):
                for band in _bands(cam, segs[m], piece, sign):
                    clip = Polygon(polys[m], closed=True, transform=ax.transData)
                    patch = Polygon(band, closed=True, fc=hl, ec="none", zorder=z)
                    ax.add_artist(patch)
                    patch.set_clip_path(clip)
        z += 0.01
        if name == "trunk":
            _draw_eye(ax, cam, segs["head"], z)
            z += 0.01
        if name.endswith("_arm") and "weights" in scene.poses.props:
            _draw_dumbbell(ax, cam, segs[members[-1]], z)
            z += 0.01
        if name.endswith("_leg") and scene.bike is not None:
            _draw_crank(ax, cam, scene.bike["crank"], segs[members[-1]], z)
            z += 0.01
    if ghost_polys:
        # one compound path, so where parts overlap the ghost is not darker
        path = Path.make_compound_path(
            *(Path(np.vstack([p, p[:1]]), closed=True) for p in ghost_polys)
        )
        ax.add_artist(PathPatch(path, fc=style.BODY_FAR, ec="none", alpha=0.3, zorder=zorder))


def _nose(cam: Camera, head: pd.Segment) -> np.ndarray:
    frame = np.array(head.frame)
    c = np.array(head.start)
    nose = pd.Segment(
        "nose",
        head.frame,
        head.origin,
        tuple(c + frame @ np.array([8.0, -0.5, 0.0])),
        tuple(c + frame @ np.array([10.8, -2.2, 0.0])),
        (1.8, 1.8, 1.8),
        (1.5, 1.5, 1.5),
    )
    return outline(cam, nose)


def _draw_eye(ax: Axes, cam: Camera, head: pd.Segment, z: float) -> None:
    frame = np.array(head.frame)
    c = np.array(head.start)
    for side in (1.0, -1.0):
        off = frame @ np.array([8.2, 2.5, side * 3.6])
        if off @ cam.towards / np.linalg.norm(off) > 0.15:
            x, y = cam.xy(c + off)
            ax.plot([x], [y], marker="o", ms=2.6, color=style.BODY_EDGE, zorder=z)


def _draw_dumbbell(ax: Axes, cam: Camera, hand: pd.Segment, z: float) -> None:
    """A dumbbell in the hand: a handle across the palm with a round plate at each end."""
    frame = np.array(hand.frame)
    grip = np.array(hand.point(0.45))
    axis = frame[:, 0]  # the handle runs across the palm
    side = frame[:, 2]
    # a plate is a disc: thin along the handle (first axis), round across it
    plate_frame = tuple(map(tuple, np.column_stack([axis, side, np.cross(axis, side)])))
    parts = []
    for sgn in (-1.0, 1.0):
        centre = grip + axis * sgn * 10.5
        disc = pd.Segment(
            "plate",
            plate_frame,  # type: ignore[arg-type]
            tuple(centre),  # type: ignore[arg-type]
            tuple(centre - axis * 1.2),  # type: ignore[arg-type]
            tuple(centre + axis * 1.2),  # type: ignore[arg-type]
            (1.5, 6.0, 6.0),
            (1.5, 6.0, 6.0),
        )
        parts.append(outline(cam, disc))
    handle = np.array([cam.xy(grip - axis * 10.0), cam.xy(grip + axis * 10.0)])
    ax.plot(handle[:, 0], handle[:, 1], color="#3A3A3A", lw=3.0, zorder=z, solid_capstyle="butt")
    for poly in parts:
        ax.add_artist(
            Polygon(poly, closed=True, fc="#3A3A3A", ec="#1E1E1E", lw=1.0, zorder=z + 0.001)
        )


def _draw_crank(ax: Axes, cam: Camera, crank: np.ndarray, foot: pd.Segment, z: float) -> None:
    pedal = np.array(foot.point(0.75))
    a = cam.xy(np.array([crank[0], crank[1], pedal[2]]))
    b = cam.xy(pedal)
    ax.plot([a[0], b[0]], [a[1], b[1]], color=style.PROP_EDGE, lw=4.0, zorder=z - 0.02)
    ax.plot([a[0]], [a[1]], marker="o", ms=9, color=style.PROP_EDGE, zorder=z - 0.02)


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
    fine = [pd.place(ep, kf) for kf in ep.sequence(41)]
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


def _poses_for(exercise: Exercise, course: Course) -> pd.ExercisePoses | None:
    ep = course.poses.get(exercise.id) if course.poses else None
    return ep if isinstance(ep, pd.ExercisePoses) else None


def _muscle_words(course: Course, ids: Iterable[str]) -> list[str]:
    words = []
    for m in ids:
        muscle = course.muscles.get(m)
        words.append(muscle.name if muscle else m.replace("_", " "))
    return words


def _frame_caption(kf: pd.KeyFrame) -> str:
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


def _side_note(ep: pd.ExercisePoses) -> str:
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
        _draw_props_behind(ax, scene)
        if title == "End":
            draw_body(ax, scene, scene.keys[0], ghost=True, zorder=1.5)
        draw_body(ax, scene, body, pieces)
        _draw_water(ax, scene)
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
    scene: Scene, body: pd.Body, pieces: Sequence[pd.RegionPiece], title: str, caption: str
) -> Figure:
    wx = scene.xlim[1] - scene.xlim[0]
    wy = scene.ylim[1] - scene.ylim[0]
    h = 4.2
    w = min(8.0, max(3.6, h * wx / wy))
    fig = style.figure(w, h + 0.9)
    ax = fig.add_subplot()
    _prepare_axes(ax, scene)
    _draw_props_behind(ax, scene)
    draw_body(ax, scene, body, pieces)
    _draw_water(ax, scene)
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
def loop_frames(exercise: Exercise, course: Course, steps: int = 6, dpi: int = 60) -> list[bytes]:
    """Small PNG frames of the movement, body and floor only, for the session player's loop.

    Like :func:`exercise_frames` without titles or captions (the player shows the words),
    at a lower resolution so a whole routine's loops are quick to draw and to send.
    """
    ep = _poses_for(exercise, course)
    if ep is None:
        return [style.to_png(_missing_figure(exercise), dpi=dpi)]
    scene = build_scene(ep, steps)
    pieces = muscle_pieces(course, exercise.muscles, ep)
    return [
        style.to_png(_frame_figure(scene, body, pieces, "", ""), dpi=dpi) for body in scene.bodies
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
        _draw_props_behind(ax, scene)
        draw_body(ax, scene, body, pieces)
        _draw_water(ax, scene)
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


def describe(ep: pd.ExercisePoses) -> dict[str, Any]:
    """Plain data about an exercise's poses (for tests and the trainers' notebook)."""
    return {
        "view": ep.view.name,
        "props": list(ep.props),
        "frames": [kf.name for kf in ep.frames],
        "one_side": ep.one_side,
    }
