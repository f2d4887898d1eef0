"""Anatomy schematics: the lumbar spine from the side, and the course's muscles front and back.

Both are schematics (labelled so): shapes are simplified, positions are right, sizes are
roughly in proportion. Either can highlight any muscle of the course; a muscle that has no
shape of its own here (a trainer's new muscle) is drawn where its group is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from ..figures import style
from ..model import Course
from . import poses as pd
from .exercise_pictures import Camera, outline

Shape = Sequence[tuple[float, float]]

BONE = "#EFE9DF"
BONE_EDGE = "#8C8273"
DISC = "#BFE0F2"
DISC_EDGE = "#4F8DB3"
NERVE = style.PALETTE["yellow"]
NERVE_EDGE = "#9A8F00"
SKIN = "#F3F4F6"
SKIN_EDGE = "#97A1AB"
MUSCLE = "#D3D9DF"
MUSCLE_EDGE = "#A9B3BD"
HATCH_EDGE = "#7A2E00"

# --------------------------------------------------------------------------- shapes
# Muscle outlines for the front and back schematic, for the person's right side, as
# (distance from the midline, height above the floor) in cm on the standing body model of
# backcourse.posedata; the left side is the mirror image. "both": one shape across the midline.
# Deep and middle-layer muscles are drawn only when highlighted.

MUSCLE_SHAPES: Mapping[str, tuple[str, tuple[Shape, ...]]] = MappingProxyType(
    {
        "rectus_abdominis": (
            "front",
            (((0.8, 134.0), (6.6, 133.0), (7.4, 118.0), (7.0, 102.0), (5.6, 89.0), (0.8, 85.5)),),
        ),
        "obliques": (
            "front",
            (
                (
                    (7.6, 131.0),
                    (13.6, 128.5),
                    (14.3, 118.0),
                    (14.6, 108.0),
                    (16.0, 101.5),
                    (11.5, 94.0),
                    (7.9, 101.0),
                    (8.1, 118.0),
                ),
            ),
        ),
        "transverse_abdominis": (
            "front",
            (
                (
                    (0.0, 114.0),
                    (8.0, 115.5),
                    (14.2, 114.5),
                    (15.2, 104.0),
                    (10.0, 93.0),
                    (5.0, 89.0),
                    (0.0, 88.0),
                ),
            ),
        ),
        "hip_flexors": (
            "front",
            (
                (
                    (2.8, 116.0),
                    (6.4, 116.0),
                    (9.5, 100.0),
                    (13.8, 90.0),
                    (15.6, 84.0),
                    (13.0, 70.0),
                    (9.8, 74.0),
                    (7.2, 86.0),
                    (3.8, 100.0),
                ),
            ),
        ),
        "quadriceps": (
            "front",
            (
                (
                    (7.0, 86.0),
                    (12.0, 89.5),
                    (16.8, 84.0),
                    (17.8, 72.0),
                    (16.6, 58.0),
                    (14.4, 52.5),
                    (10.4, 52.5),
                    (7.4, 58.0),
                    (5.2, 70.0),
                    (5.4, 80.0),
                ),
            ),
        ),
        "pelvic_floor": (
            "front",
            (((-5.5, 86.5), (5.5, 86.5), (4.0, 83.2), (0.0, 82.2), (-4.0, 83.2)),),
        ),
        "trapezius": (
            "back",
            (
                (
                    (0.0, 158.5),
                    (3.0, 158.5),
                    (5.5, 150.0),
                    (16.5, 144.5),
                    (13.0, 139.0),
                    (6.0, 127.0),
                    (0.0, 115.5),
                ),
            ),
        ),
        "rhomboids": (
            "back",
            (((1.2, 141.0), (5.0, 142.0), (10.5, 131.0), (9.0, 126.5), (1.2, 129.0)),),
        ),
        "splenius": (
            "back",
            (((0.6, 141.0), (3.0, 141.0), (6.2, 155.0), (4.6, 159.5), (1.0, 153.0)),),
        ),
        "semispinalis": (
            "back",
            (((0.2, 130.0), (2.6, 130.0), (3.4, 146.0), (2.8, 158.5), (0.2, 158.5)),),
        ),
        "latissimus_dorsi": (
            "back",
            (
                (
                    (5.0, 125.0),
                    (6.8, 110.0),
                    (9.0, 101.0),
                    (15.0, 102.5),
                    (15.6, 116.0),
                    (18.2, 133.0),
                    (20.5, 137.5),
                    (14.5, 137.0),
                    (9.0, 129.0),
                ),
            ),
        ),
        "erector_spinae": (
            "back",
            (
                (
                    (1.2, 150.0),
                    (4.6, 150.0),
                    (6.6, 132.0),
                    (7.4, 112.0),
                    (6.4, 98.0),
                    (4.0, 94.0),
                    (1.2, 94.0),
                ),
            ),
        ),
        "longissimus_thoracis": (
            "back",
            (((2.8, 143.0), (4.6, 143.0), (5.8, 122.0), (5.4, 100.0), (3.2, 97.0), (2.6, 120.0)),),
        ),
        "multifidus": (
            "back",
            (((0.3, 119.0), (2.7, 119.0), (3.4, 101.0), (2.8, 92.5), (0.3, 92.0)),),
        ),
        "quadratus_lumborum": (
            "back",
            (((4.0, 119.0), (10.2, 118.0), (11.8, 105.0), (9.0, 101.5), (4.4, 102.0)),),
        ),
        "gluteus_maximus": (
            "back",
            (
                (
                    (0.8, 95.0),
                    (8.0, 98.5),
                    (14.6, 95.5),
                    (17.4, 86.0),
                    (15.0, 76.5),
                    (7.0, 74.0),
                    (0.8, 80.0),
                ),
            ),
        ),
        "gluteus_medius": (
            "back",
            (((7.6, 101.5), (15.0, 104.5), (17.9, 97.0), (17.0, 90.0), (10.5, 95.5)),),
        ),
        "gluteus_minimus": ("back", (((10.5, 100.0), (15.4, 101.5), (17.0, 95.0), (12.5, 95.5)),)),
        "hamstrings": (
            "back",
            (
                (
                    (4.6, 76.0),
                    (12.0, 78.0),
                    (15.8, 70.5),
                    (16.0, 58.0),
                    (14.0, 51.0),
                    (10.2, 51.0),
                    (6.6, 58.0),
                    (4.8, 68.0),
                ),
            ),
        ),
    }
)
MIRRORED_NOT = frozenset({"pelvic_floor"})
# Where a muscle group sits, for muscles that have no shape of their own.
GROUP_SHAPES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "abdominals": ("rectus_abdominis", "obliques"),
        "back_extensors": ("erector_spinae",),
        "deep_back": ("multifidus",),
        "upper_back": ("trapezius",),
        "glutes": ("gluteus_maximus",),
        "hamstrings": ("hamstrings",),
        "hip_flexors": ("hip_flexors",),
        "thigh": ("quadriceps",),
        "pelvic_floor": ("pelvic_floor",),
    }
)
_LAYER_ORDER = {"deep": 0, "middle": 1, "superficial": 2}


def _standing_angles() -> dict[str, float]:
    angles = {k: 0.0 for k in pd.ANGLE_KEYS}
    for side in pd.SIDES:
        angles[f"{side}_shoulder_abduction"] = 18.0
        angles[f"{side}_elbow_flexion"] = 8.0
        angles[f"{side}_hip_abduction"] = 5.0
    return angles


def _body_outline(ax: Axes, view: str) -> float:
    """Draw the standing body model as a flat silhouette; returns the floor offset."""
    cam = Camera.of(pd.View(view, 90.0 if view == "front" else -90.0, 0.0))
    segs = pd.pose_segments(_standing_angles())
    low = min(s.low() for s in segs.values())
    polys = [outline(cam, s) + np.array([0.0, -low]) for s in segs.values()]
    for p in polys:
        ax.add_patch(Polygon(p, closed=True, fc=SKIN_EDGE, ec=SKIN_EDGE, lw=2.4, zorder=1))
    for p in polys:
        ax.add_patch(Polygon(p, closed=True, fc=SKIN, ec="none", zorder=1.1))
    return low


def _shape_polys(muscle_key: str, view: str) -> list[np.ndarray]:
    """Screen polygons of a shape in a view: the front view shows the person's right on the
    viewer's left, the back view on the viewer's right."""
    shape_view, shapes = MUSCLE_SHAPES[muscle_key]
    if shape_view != view:
        return []
    sign = -1.0 if view == "front" else 1.0
    out = []
    for shape in shapes:
        pts = np.array(shape, dtype=float)
        right = pts * np.array([sign, 1.0])
        out.append(_smooth(right))
        if muscle_key not in MIRRORED_NOT:
            out.append(_smooth(pts * np.array([-sign, 1.0])))
    return out


def _smooth(points: np.ndarray, n: int = 8) -> np.ndarray:
    """A closed Catmull-Rom curve through the points, so shapes look drawn, not jagged."""
    pts = np.asarray(points, dtype=float)
    m = len(pts)
    out = []
    for i in range(m):
        p0, p1, p2, p3 = pts[(i - 1) % m], pts[i], pts[(i + 1) % m], pts[(i + 2) % m]
        for t in np.linspace(0.0, 1.0, n, endpoint=False):
            t2, t3 = t * t, t * t * t
            out.append(
                0.5
                * (
                    (2 * p1)
                    + (-p0 + p2) * t
                    + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
                    + (-p0 + 3 * p1 - 3 * p2 + p3) * t3
                )
            )
    return np.array(out)


def _normalise(highlight: str | Iterable[str] | None) -> list[str]:
    if highlight is None:
        return []
    if isinstance(highlight, str):
        return [highlight]
    return list(dict.fromkeys(highlight))


def _resolve(course: Course, wanted: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Highlight id (muscle or group) -> shape keys, falling back to the muscle's group."""
    groups = {m.group for m in course.muscles.values()}
    out: dict[str, tuple[str, ...]] = {}
    for key in wanted:
        if key in course.muscles:
            m = course.muscles[key]
            if key in MUSCLE_SHAPES:
                out[key] = (key,)
            else:
                out[key] = GROUP_SHAPES.get(m.group, ())
        elif key in groups or key in GROUP_SHAPES:
            members = [
                m.id for m in course.muscles.values() if m.group == key and m.id in MUSCLE_SHAPES
            ]
            out[key] = tuple(members) or GROUP_SHAPES.get(key, ())
        else:
            known = ", ".join(sorted(course.muscles))
            raise KeyError(f"unknown muscle or group {key!r}; muscles are: {known}")
    return out


def _label_for(course: Course, key: str) -> str:
    m = course.muscles.get(key)
    if m is None:
        return style.wrap(key.replace("_", " ").capitalize() + " (group)", 26)
    layer = {"deep": ", deep", "middle": ", middle layer"}.get(m.layer, "")
    return style.wrap(m.name, 26) + "\n" + style.wrap(f"({m.plain_name}{layer})", 28)


def _place_labels(
    ys: list[float], lo: float, hi: float, gap: float, sizes: Sequence[float] | None = None
) -> list[float]:
    """Spread label heights (centres) so labels of the given heights keep ``gap`` apart,
    staying near their targets, from the top down."""
    sizes = list(sizes) if sizes is not None else [0.0] * len(ys)
    order = sorted(range(len(ys)), key=lambda i: -ys[i])
    placed: dict[int, float] = {}
    last_bottom = hi + gap
    for i in order:
        y = min(ys[i], last_bottom - gap - sizes[i] / 2)
        placed[i] = y
        last_bottom = y - sizes[i] / 2
    shift = lo - min(placed.values(), default=lo)
    if shift > 0:
        for i in placed:
            placed[i] += shift
    return [placed[i] for i in range(len(ys))]


@style.styled
def muscle_figure(course: Course, highlight: str | Iterable[str] | None = None) -> Figure:
    """The course's muscles on a front and a back view of the body (a schematic).

    Parameters
    ----------
    course
        The loaded course: its muscles give names, layers and groups.
    highlight
        A muscle id, a muscle group id, or several; None shows the muscles without
        highlighting. A muscle with no shape of its own is drawn where its group is.

    Raises
    ------
    KeyError
        For an id that is neither a muscle nor a group of the course.
    """
    wanted = _normalise(highlight)
    resolved = _resolve(course, wanted)
    # Fixed positions (no automatic layout): the labels live in the side margins.
    fig = style.figure(12.5, 9.6, layout=None)
    axes = [fig.add_axes((0.215, 0.05, 0.285, 0.86)), fig.add_axes((0.5, 0.05, 0.285, 0.86))]
    shown_in: dict[str, set[str]] = {k: set() for k in resolved}
    for ax, view in zip(axes, ("front", "back"), strict=True):
        ax.set_xlim(-44, 44)
        ax.set_ylim(-1, 176)
        ax.set_aspect("equal")
        ax.set_axis_off()
        _body_outline(ax, view)
        base = sorted(
            (m for m in course.muscles.values() if m.id in MUSCLE_SHAPES and m.layer != "deep"),
            key=lambda m: (_LAYER_ORDER.get(m.layer, 2), m.id),
        )
        for m in base:
            for poly in _shape_polys(m.id, view):
                ax.add_patch(
                    Polygon(poly, closed=True, fc=MUSCLE, ec=MUSCLE_EDGE, lw=0.8, zorder=2)
                )
        targets = []
        if not resolved:
            for m in base:
                polys = _shape_polys(m.id, view)
                if polys:
                    sign = -1.0 if view == "front" else 1.0
                    own = [p for p in polys if np.mean(p[:, 0]) * sign >= -0.5] or polys
                    targets.append((m.id, np.mean(np.vstack(own), axis=0)))
        for key, shapes in resolved.items():
            layer = course.muscles[key].layer if key in course.muscles else "superficial"
            polys = [p for s in shapes for p in _shape_polys(s, view)]
            if not polys:
                continue
            shown_in[key].add(view)
            for poly in polys:
                ax.add_patch(
                    Polygon(
                        poly,
                        closed=True,
                        fc=style.HIGHLIGHT,
                        ec=HATCH_EDGE,
                        lw=1.0,
                        zorder=3,
                        hatch="///" if layer == "deep" else None,
                        alpha=0.95,
                    )
                )
            # label the shape on the person's right side (viewer's left on the front view)
            sign = -1.0 if view == "front" else 1.0
            own = [p for p in polys if np.mean(p[:, 0]) * sign >= -0.5] or polys
            centre = np.mean(np.vstack(own), axis=0)
            targets.append((key, centre))
        side = -1.0 if view == "front" else 1.0
        texts = [
            _label_for(course, k) if resolved else style.wrap(course.muscles[k].name, 26)
            for k, _ in targets
        ]
        lines = [t.count("\n") + 1 for t in texts]
        ys = _place_labels([c[1] for _, c in targets], 8.0, 168.0, 2.5, [5.4 * n for n in lines])
        for (_, centre), y, text in zip(targets, ys, texts, strict=True):
            ax.annotate(
                text,
                xy=centre,
                xytext=(side * 47.0, y),
                annotation_clip=False,
                ha="right" if side < 0 else "left",
                va="center",
                fontsize=style.BASE_SIZE - 1.5,
                arrowprops=dict(arrowstyle="-", color=style.INK, lw=1.0, shrinkA=2, shrinkB=0),
                zorder=5,
            )
        ax.set_title(view.capitalize(), fontsize=style.BASE_SIZE + 1)
        # the person's right is on the viewer's left in the front view, on the right behind
        ax.text(
            -30,
            168,
            "their right" if view == "front" else "their left",
            ha="center",
            fontsize=style.BASE_SIZE - 2,
            color=style.MUTED,
        )
        ax.text(
            30,
            168,
            "their left" if view == "front" else "their right",
            ha="center",
            fontsize=style.BASE_SIZE - 2,
            color=style.MUTED,
        )
    names = [
        course.muscles[k].name if k in course.muscles else k.replace("_", " ") for k in resolved
    ]
    title = "Muscles of the course" if not names else "Highlighted: " + ", ".join(names)
    fig.text(
        0.012,
        0.985,
        style.wrap(title, 80),
        ha="left",
        va="top",
        fontsize=style.BASE_SIZE + 3,
        weight="bold",
    )
    fig.text(
        0.5,
        0.012,
        "Schematic, not to scale. Deep muscles are hatched.",
        ha="center",
        va="bottom",
        fontsize=style.BASE_SIZE - 2,
        color=style.MUTED,
    )
    where = []
    for k in resolved:
        views = " and ".join(sorted(shown_in[k])) or "no"
        m = course.muscles.get(k)
        extra = f", {m.layer} layer, group {m.group.replace('_', ' ')}" if m else ", a group"
        name = m.name if m else k.replace("_", " ")
        where.append(f"{name} ({extra[2:]}) on the {views} view")
    fig.alt_text = (  # type: ignore[attr-defined]
        "Schematic front and back views of a standing body with the course's muscles drawn in "
        "light grey. "
        + (
            "Highlighted in orange-red: " + "; ".join(where) + "."
            if where
            else "No muscle is highlighted."
        )
    )
    return fig


# --------------------------------------------------------------------------- the spine

VERTEBRAE = ("L1", "L2", "L3", "L4", "L5")
DISCS = ("L1_L2", "L2_L3", "L3_L4", "L4_L5", "L5_S1")
SPINE_PARTS = VERTEBRAE + DISCS + ("sacrum", "coccyx", "pelvis", "nerves", "vertebrae", "discs")
# Muscles the side view of the lumbar spine can show (shape key -> drawing function name).
SPINE_MUSCLES = (
    "multifidus",
    "erector_spinae",
    "longissimus_thoracis",
    "quadratus_lumborum",
    "latissimus_dorsi",
    "hip_flexors",
    "transverse_abdominis",
    "obliques",
    "rectus_abdominis",
    "pelvic_floor",
    "gluteus_maximus",
    "gluteus_medius",
    "gluteus_minimus",
    "hamstrings",
    "quadriceps",
)
_SPINE_GROUPS = {
    "abdominals": "rectus_abdominis",
    "back_extensors": "erector_spinae",
    "deep_back": "multifidus",
    "glutes": "gluteus_maximus",
    "hamstrings": "hamstrings",
    "hip_flexors": "hip_flexors",
    "thigh": "quadriceps",
    "pelvic_floor": "pelvic_floor",
}


def _vertebra_frames() -> list[tuple[np.ndarray, float]]:
    """Centre and tilt (degrees) of L1..L5 along a gentle lordosis; front is to the left."""
    centres = [(0.6, 39.2), (-0.1, 35.3), (-0.5, 31.4), (-0.3, 27.5), (0.5, 23.5)]
    tilts = [8.0, 3.0, -2.0, -8.0, -15.0]
    return [(np.array(c), t) for c, t in zip(centres, tilts, strict=True)]


def _rot(points: np.ndarray, deg: float, about: np.ndarray) -> np.ndarray:
    a = math.radians(deg)
    r = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    return (points - about) @ r.T + about


def _spine_geometry() -> dict[str, list[np.ndarray]]:
    """Polygons (cm, front to the left) of every bony part, disc and the nerves."""
    geo: dict[str, list[np.ndarray]] = {}
    frames = _vertebra_frames()
    for name, (c, tilt) in zip(VERTEBRAE, frames, strict=True):
        body = _smooth(np.array([[-2.4, -1.35], [2.2, -1.4], [2.3, 1.4], [-2.4, 1.35]]), 5) + c
        # pedicle, lamina and spinous process: the arch behind the body, around the canal
        arch = (
            np.array(
                [
                    [2.6, 1.0],
                    [3.6, 1.2],
                    [4.2, 0.7],
                    [5.0, 1.0],
                    [8.2, 0.4],
                    [8.6, -0.4],
                    [8.0, -1.1],
                    [5.2, -0.8],
                    [4.4, -1.3],
                    [3.8, -0.6],
                    [2.6, -0.4],
                ]
            )
            + c
        )
        geo[name] = [_rot(body, tilt, c), _rot(arch, tilt, c)]
    for i, name in enumerate(DISCS[:-1]):
        (c1, t1), (c2, t2) = frames[i], frames[i + 1]
        mid = (c1 + c2) / 2
        disc = _smooth(np.array([[-2.35, -0.55], [2.15, -0.45], [2.15, 0.45], [-2.35, 0.55]]), 5)
        geo[name] = [_rot(disc + mid, (t1 + t2) / 2, mid)]
    geo["L5_S1"] = [_smooth(np.array([[-1.9, 21.6], [2.2, 20.7], [2.9, 21.6], [-1.5, 22.6]]), 5)]
    geo["sacrum"] = [
        _smooth(
            np.array(
                [
                    [-2.0, 20.7],
                    [2.8, 20.0],
                    [5.6, 19.2],
                    [6.6, 15.5],
                    [6.0, 11.5],
                    [4.6, 8.4],
                    [3.2, 7.8],
                    [2.4, 10.2],
                    [1.0, 14.0],
                    [-1.0, 17.5],
                ]
            ),
            6,
        )
    ]
    geo["coccyx"] = [
        _smooth(np.array([[3.1, 7.9], [4.5, 7.6], [4.0, 5.6], [2.6, 4.6], [2.0, 5.6]]), 5)
    ]
    geo["pelvis"] = [
        _smooth(
            np.array(
                [
                    [-11.0, 20.5],
                    [-8.0, 24.8],
                    [-2.5, 27.0],
                    [3.0, 25.5],
                    [6.8, 21.0],
                    [6.0, 17.5],
                    [4.2, 13.5],
                    [3.6, 9.5],
                    [3.4, 4.0],
                    [1.8, 1.0],
                    [-2.0, 0.6],
                    [-6.0, 1.6],
                    [-9.8, 2.0],
                    [-10.4, 5.0],
                    [-7.8, 9.0],
                    [-9.6, 13.5],
                    [-10.2, 17.0],
                ]
            ),
            6,
        )
    ]
    geo["femur"] = [
        _smooth(
            np.array(
                [
                    [-7.2, 10.6],
                    [-5.0, 12.0],
                    [-2.9, 10.8],
                    [-1.2, 8.6],
                    [-0.8, 6.2],
                    [-2.6, 3.6],
                    [-3.0, -13.0],
                    [-7.2, -13.0],
                    [-6.9, 3.0],
                    [-7.6, 8.2],
                ]
            ),
            6,
        )
    ]
    # nerves: the cauda equina down the canal, and a root leaving at each level
    canal = [_rot(np.array([c + np.array([3.45, 0.0])]), t, c)[0] for c, t in frames]
    cord = np.array(
        [[x[0] - 0.3, x[1]] for x in canal]
        + [[3.2, 15.5], [3.4, 15.5]]
        + [[x[0] + 0.3, x[1]] for x in canal[::-1]]
    )
    roots = []
    for c, tilt in frames:
        a = _rot(np.array([c + np.array([3.45, -1.6])]), tilt, c)[0]
        roots.append(a + np.array([[0.2, 0.3], [-1.0, -2.2], [-0.5, -2.4], [0.6, -0.1]]))
    geo["nerves"] = [cord, *roots]
    return geo


def _spine_muscle_shapes() -> dict[str, list[np.ndarray]]:
    """Where the muscles around the lumbar spine sit in this side view (front to the left)."""
    s = _smooth
    return {
        "multifidus": [
            s(
                np.array(
                    [
                        [4.2, 42.0],
                        [7.2, 42.0],
                        [8.0, 33.0],
                        [8.2, 24.0],
                        [7.6, 17.0],
                        [6.2, 11.0],
                        [4.8, 12.5],
                        [6.0, 18.0],
                        [5.2, 24.0],
                        [4.4, 33.0],
                    ]
                )
            )
        ],
        "erector_spinae": [
            s(
                np.array(
                    [
                        [7.4, 44.5],
                        [11.4, 44.5],
                        [11.9, 33.0],
                        [11.2, 22.0],
                        [8.4, 13.5],
                        [6.8, 15.5],
                        [8.6, 22.0],
                        [8.5, 33.0],
                    ]
                )
            )
        ],
        "longissimus_thoracis": [
            s(
                np.array(
                    [
                        [8.2, 44.5],
                        [10.2, 44.5],
                        [10.6, 33.0],
                        [9.9, 22.0],
                        [8.0, 16.0],
                        [7.6, 18.0],
                        [8.9, 24.0],
                        [8.9, 33.0],
                    ]
                )
            )
        ],
        "latissimus_dorsi": [
            s(
                np.array(
                    [
                        [11.9, 44.5],
                        [12.9, 44.5],
                        [12.7, 33.0],
                        [11.6, 23.5],
                        [10.4, 24.5],
                        [11.7, 33.0],
                    ]
                )
            )
        ],
        "quadratus_lumborum": [
            s(
                np.array(
                    [[1.2, 41.0], [4.0, 41.0], [4.8, 33.0], [4.6, 26.0], [1.8, 25.0], [1.6, 33.0]]
                )
            )
        ],
        "hip_flexors": [
            s(
                np.array(
                    [
                        [-1.6, 42.0],
                        [-2.9, 36.0],
                        [-3.3, 29.0],
                        [-4.8, 22.0],
                        [-7.2, 16.0],
                        [-8.8, 10.0],
                        [-6.4, 2.0],
                        [-4.2, 3.5],
                        [-5.8, 10.0],
                        [-3.4, 16.0],
                        [-1.8, 22.0],
                        [-0.8, 29.0],
                        [-0.6, 36.0],
                    ]
                )
            )
        ],
        "transverse_abdominis": [
            s(
                np.array(
                    [
                        [-12.8, 44.5],
                        [-12.0, 44.5],
                        [-12.4, 30.0],
                        [-10.6, 12.0],
                        [-9.0, 5.0],
                        [-9.9, 4.8],
                        [-11.8, 12.0],
                        [-13.6, 30.0],
                    ]
                )
            )
        ],
        "obliques": [
            s(
                np.array(
                    [
                        [-14.2, 44.5],
                        [-13.2, 44.5],
                        [-13.8, 30.0],
                        [-12.0, 13.0],
                        [-10.6, 7.0],
                        [-11.6, 6.8],
                        [-13.2, 13.0],
                        [-15.0, 30.0],
                    ]
                )
            )
        ],
        "rectus_abdominis": [
            s(
                np.array(
                    [
                        [-15.6, 44.5],
                        [-14.6, 44.5],
                        [-15.2, 30.0],
                        [-13.6, 12.0],
                        [-10.8, 2.4],
                        [-12.0, 2.2],
                        [-14.8, 12.0],
                        [-16.6, 30.0],
                    ]
                )
            )
        ],
        "pelvic_floor": [
            s(
                np.array(
                    [
                        [-9.4, 2.6],
                        [-5.0, 0.2],
                        [0.4, 1.6],
                        [2.6, 4.4],
                        [1.6, 5.0],
                        [-4.6, 1.6],
                        [-9.0, 3.6],
                    ]
                )
            )
        ],
        "gluteus_maximus": [
            s(
                np.array(
                    [
                        [6.6, 20.5],
                        [10.6, 18.0],
                        [12.6, 10.0],
                        [11.2, 1.0],
                        [6.0, -6.0],
                        [2.0, -6.5],
                        [4.4, 1.0],
                        [5.6, 8.0],
                        [6.8, 14.0],
                    ]
                )
            )
        ],
        "gluteus_medius": [
            s(
                np.array(
                    [
                        [-4.0, 26.6],
                        [3.2, 25.2],
                        [6.0, 21.0],
                        [1.2, 13.0],
                        [-1.4, 7.6],
                        [-3.4, 9.6],
                        [-5.6, 18.0],
                    ]
                )
            )
        ],
        "gluteus_minimus": [
            s(
                np.array(
                    [
                        [-4.6, 22.5],
                        [1.8, 21.5],
                        [0.6, 14.0],
                        [-1.6, 9.0],
                        [-3.6, 10.6],
                        [-5.4, 16.0],
                    ]
                )
            )
        ],
        "hamstrings": [s(np.array([[0.2, 1.6], [3.4, 1.4], [2.6, -11.5], [-2.4, -11.5]]))],
        "quadriceps": [
            s(
                np.array(
                    [
                        [-10.0, 16.4],
                        [-8.8, 16.4],
                        [-7.8, 2.0],
                        [-7.6, -11.5],
                        [-11.4, -11.5],
                        [-10.6, 2.0],
                    ]
                )
            )
        ],
    }


@style.styled
def spine_figure(
    highlight: str | Iterable[str] | None = None, course: Course | None = None
) -> Figure:
    """The lumbar spine from the side: L1-L5, discs, sacrum, coccyx, pelvis and nerves.

    Parameters
    ----------
    highlight
        Parts to highlight: a vertebra (``"L4"``), a disc (``"L4_L5"``), ``"sacrum"``,
        ``"coccyx"``, ``"pelvis"``, ``"nerves"``, ``"vertebrae"``, ``"discs"``, or a muscle
        or group id that this side view can show (multifidus, erector spinae, hip flexors,
        the stomach wall, pelvic floor, glutes...). With ``course`` given, any muscle of the
        course can be named: one this view cannot show is listed as out of view.
    course
        Optional: gives muscle names and groups.

    Raises
    ------
    KeyError
        For an id that is neither a part, nor a muscle or group known here or in ``course``.
    """
    wanted = _normalise(highlight)
    parts: set[str] = set()
    muscles: dict[str, str | None] = {}  # highlight id -> spine shape key (None: not in view)
    for key in wanted:
        if key in SPINE_PARTS:
            parts.update(VERTEBRAE if key == "vertebrae" else DISCS if key == "discs" else (key,))
        elif key in SPINE_MUSCLES:
            muscles[key] = key
        elif course is not None and key in course.muscles:
            muscles[key] = _SPINE_GROUPS.get(course.muscles[key].group)
        elif key in _SPINE_GROUPS:
            muscles[key] = _SPINE_GROUPS[key]
        elif course is not None and key in {m.group for m in course.muscles.values()}:
            muscles[key] = None
        else:
            raise KeyError(
                f"unknown part or muscle {key!r}; parts are {', '.join(SPINE_PARTS)}; muscles "
                f"shown here are {', '.join(SPINE_MUSCLES)}"
            )
    geo = _spine_geometry()
    mshapes = _spine_muscle_shapes()
    fig = style.figure(9.6, 9.0)
    ax = fig.add_subplot()
    ax.set_xlim(-33, 33)
    ax.set_ylim(-12, 47)
    ax.set_aspect("equal")
    ax.set_axis_off()

    def fill(name: str, fc: str, ec: str, z: float, lw: float = 1.2) -> None:
        hot = name in parts
        for poly in geo[name]:
            ax.add_patch(
                Polygon(
                    poly,
                    closed=True,
                    fc=style.HIGHLIGHT if hot else fc,
                    ec=HATCH_EDGE if hot else ec,
                    lw=lw,
                    zorder=z + (0.5 if hot else 0),
                )
            )

    # faint outline of the trunk and thigh for orientation
    trunk = _smooth(
        np.array(
            [
                [-17.0, 52.0],
                [13.4, 52.0],
                [13.3, 36.0],
                [12.4, 26.0],
                [13.2, 16.0],
                [13.6, 7.0],
                [11.4, -2.0],
                [6.0, -7.5],
                [3.6, -13.0],
                [-12.2, -13.0],
                [-12.6, -4.0],
                [-13.4, 4.0],
                [-15.6, 12.0],
                [-17.6, 24.0],
                [-17.8, 36.0],
            ]
        ),
        6,
    )
    ax.add_patch(
        Polygon(trunk, closed=True, fc=SKIN, ec=SKIN_EDGE, lw=1.6, zorder=0, joinstyle="round")
    )
    for shape in muscles.values():
        if shape is None:
            continue
        for poly in mshapes[shape]:
            ax.add_patch(
                Polygon(
                    poly,
                    closed=True,
                    fc=style.HIGHLIGHT,
                    ec=HATCH_EDGE,
                    lw=1.0,
                    alpha=0.9,
                    zorder=1.5,
                )
            )
    fill("pelvis", "#F7F4EE", "#B9B0A2", 1.0, lw=1.0)
    fill("femur", "#F7F4EE", "#B9B0A2", 1.0, lw=1.0)
    fill("sacrum", BONE, BONE_EDGE, 2.0)
    fill("coccyx", BONE, BONE_EDGE, 2.0)
    for v in VERTEBRAE:
        fill(v, BONE, BONE_EDGE, 2.0)
    for d in DISCS:
        fill(d, DISC, DISC_EDGE, 2.2)
    hot_nerves = "nerves" in parts
    for i, poly in enumerate(geo["nerves"]):
        ax.add_patch(
            Polygon(
                poly,
                closed=i == 0,
                fc=style.HIGHLIGHT if hot_nerves else NERVE,
                ec=HATCH_EDGE if hot_nerves else NERVE_EDGE,
                lw=1.0,
                zorder=2.4,
            )
        )

    # labels: (text, point, side, preferred height, name); each side is spread to avoid overlaps
    labels: list[tuple[str, tuple[float, float], int, float, str]] = []
    for name, (c, _) in zip(VERTEBRAE, _vertebra_frames(), strict=True):
        labels.append((name, (c[0] - 2.0, c[1]), -1, c[1], name))
    for name in DISCS:
        if name in parts or name == "L4_L5":
            c = np.mean(geo[name][0], axis=0)
            labels.append(
                (f"disc ({name.replace('_', '-')})", (c[0] + 0.5, c[1] - 0.3), 1, c[1] - 1.0, name)
            )
    labels += [
        ("sacrum", (4.2, 14.0), 1, 15.5, "sacrum"),
        ("coccyx (tailbone)", (3.6, 5.6), 1, 6.0, "coccyx"),
        ("pelvis (hip bone)", (-6.0, 21.0), -1, 18.0, "pelvis"),
        ("hip joint", (-5.0, 9.5), -1, 9.0, ""),
        ("spinal nerves", (3.7, 33.0), 1, 41.5, "nerves"),
        ("spinous process", (8.0, 31.6), 1, 34.5, ""),
    ]
    names = []
    out_of_view = []
    for key, shape in muscles.items():
        name = (
            course.muscles[key].name
            if course is not None and key in course.muscles
            else key.replace("_", " ")
        )
        if shape is None:
            out_of_view.append(name)
            continue
        names.append(name)
        poly = np.vstack(mshapes[shape])
        c = poly.mean(axis=0)
        labels.append(
            (
                style.wrap(name, 20),
                (float(c[0]), float(c[1])),
                1 if c[0] > -2 else -1,
                float(c[1]),
                key,
            )
        )
    for side in (-1, 1):
        mine = [lab for lab in labels if lab[2] == side]
        ys = _place_labels(
            [lab[3] for lab in mine],
            -9.0,
            45.0,
            1.2,
            [2.3 * (lab[0].count("\n") + 1) for lab in mine],
        )
        for (text, xy, _, _, name), y in zip(mine, ys, strict=True):
            hot = name in parts or name in muscles
            ax.annotate(
                text,
                xy=xy,
                xytext=(18.0 if side > 0 else -22.0, y),
                fontsize=style.BASE_SIZE - 1,
                weight="bold" if hot else "normal",
                color=style.HIGHLIGHT if hot and name in muscles else style.INK,
                ha="left" if side > 0 else "right",
                va="center",
                arrowprops=dict(arrowstyle="-", color=style.MUTED, lw=0.9, shrinkA=2, shrinkB=1),
                zorder=6,
            )
    ax.text(-16.0, -11.0, "front", fontsize=style.BASE_SIZE - 2, color=style.MUTED, ha="left")
    ax.text(12.0, -11.0, "back", fontsize=style.BASE_SIZE - 2, color=style.MUTED, ha="right")
    title = "The lower back from the side"
    fig.suptitle(title, x=0.01, ha="left", fontsize=style.BASE_SIZE + 3)
    note = "Schematic, not to scale."
    if out_of_view:
        note += " Not in this view: " + ", ".join(out_of_view) + " (see the muscle map)."
    fig.text(
        0.99,
        0.005,
        style.wrap(note, 90),
        ha="right",
        va="bottom",
        fontsize=style.BASE_SIZE - 2,
        color=style.MUTED,
    )
    hl = sorted(parts) + names
    fig.alt_text = (  # type: ignore[attr-defined]
        "Schematic side view of the lower back, front to the left: the five lumbar vertebrae "
        "L1 to L5 stacked in a gentle inward curve with a disc between each pair, the sacrum and "
        "coccyx below, the hip bone and the spinal nerves leaving the spinal canal. "
        + (
            f"Highlighted in orange-red: {', '.join(h.replace('_', '-') for h in hl)}."
            if hl
            else ""
        )
        + (f" Not shown in this view: {', '.join(out_of_view)}." if out_of_view else "")
    )
    return fig


def all_highlights(course: Course) -> list[str]:
    """Every muscle id of the course, in file order (for the gallery and tests)."""
    return list(course.muscles)
