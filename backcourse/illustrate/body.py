"""Drawing one posed body: limbs and trunk as outlined silhouettes, far to near, with the
target muscles highlighted on them, and the small things held or worn (eye, dumbbell, crank).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.patches import PathPatch, Polygon
from matplotlib.path import Path

from ..figures import style
from ..model import Course
from .body_model import SIDES, TRUNK_SEGMENTS, ExercisePoses, RegionPiece
from .colours import DUMBBELL, DUMBBELL_EDGE, LIGHT, mix
from .kinematics import Body, Segment
from .projection import Camera, outline
from .scene import Scene

GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "trunk": ("pelvis", "lumbar", "thorax", "neck", "head"),
        **{
            f"{side}_{limb}": tuple(f"{side}_{s}" for s in segs)
            for side in SIDES
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
EDGE_WIDTH = 1.3


def _bands(cam: Camera, seg: Segment, piece: RegionPiece, side_sign: float) -> list[np.ndarray]:
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


def _shade(rel_depth: float) -> tuple[float, float, float]:
    """Body colour by depth relative to the trunk: near darker, far lighter."""
    t = max(-1.0, min(1.0, rel_depth / 14.0))
    if t >= 0:
        return mix(style.BODY_MID, style.BODY_NEAR, t)
    return mix(style.BODY_MID, style.BODY_FAR, -t)


def muscle_pieces(
    course: Course, muscle_ids: Iterable[str], poses: ExercisePoses
) -> list[RegionPiece]:
    """The region pieces of muscles on the figure; a muscle with no region of its own uses its
    group's region, so a trainer's new muscle is still highlighted."""
    regions = poses.settings.regions
    out: list[RegionPiece] = []
    for m in muscle_ids:
        pieces = regions.get(m)
        if pieces is None and m in course.muscles:
            pieces = regions.get(course.muscles[m].group)
        out.extend(pieces or ())
    return out


def _segment_names(piece: RegionPiece) -> list[tuple[str, float]]:
    if piece.segment in TRUNK_SEGMENTS:
        return [(piece.segment, 0.0)]
    return [(f"{side}_{piece.segment}", 1.0 if side == "right" else -1.0) for side in SIDES]


def draw_body(
    ax: Axes,
    scene: Scene,
    body: Body,
    pieces: Sequence[RegionPiece] = (),
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
    by_segment: dict[str, list[tuple[RegionPiece, float]]] = {}
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
        edge = mix(style.BODY_EDGE, LIGHT, 0.35) if rel < -6 else style.BODY_EDGE
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
        hl = style.HIGHLIGHT if rel > -6 else mix(style.HIGHLIGHT, LIGHT, 0.35)
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


def _nose(cam: Camera, head: Segment) -> np.ndarray:
    frame = np.array(head.frame)
    c = np.array(head.start)
    nose = Segment(
        "nose",
        head.frame,
        head.origin,
        tuple(c + frame @ np.array([8.0, -0.5, 0.0])),
        tuple(c + frame @ np.array([10.8, -2.2, 0.0])),
        (1.8, 1.8, 1.8),
        (1.5, 1.5, 1.5),
    )
    return outline(cam, nose)


def _draw_eye(ax: Axes, cam: Camera, head: Segment, z: float) -> None:
    frame = np.array(head.frame)
    c = np.array(head.start)
    for side in (1.0, -1.0):
        off = frame @ np.array([8.2, 2.5, side * 3.6])
        if off @ cam.towards / np.linalg.norm(off) > 0.15:
            x, y = cam.xy(c + off)
            ax.plot([x], [y], marker="o", ms=2.6, color=style.BODY_EDGE, zorder=z)


def _draw_dumbbell(ax: Axes, cam: Camera, hand: Segment, z: float) -> None:
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
        disc = Segment(
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
    ax.plot(handle[:, 0], handle[:, 1], color=DUMBBELL, lw=3.0, zorder=z, solid_capstyle="butt")
    for poly in parts:
        ax.add_artist(
            Polygon(poly, closed=True, fc=DUMBBELL, ec=DUMBBELL_EDGE, lw=1.0, zorder=z + 0.001)
        )


def _draw_crank(ax: Axes, cam: Camera, crank: np.ndarray, foot: Segment, z: float) -> None:
    pedal = np.array(foot.point(0.75))
    a = cam.xy(np.array([crank[0], crank[1], pedal[2]]))
    b = cam.xy(pedal)
    ax.plot([a[0], b[0]], [a[1], b[1]], color=style.PROP_EDGE, lw=4.0, zorder=z - 0.02)
    ax.plot([a[0]], [a[1]], marker="o", ms=9, color=style.PROP_EDGE, zorder=z - 0.02)
