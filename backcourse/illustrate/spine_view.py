"""The lower back from the side: L1-L5, discs, sacrum, coccyx, pelvis, nerves and muscles.

A schematic (labelled so), drawn from the shapes in ``course_data/anatomy.yaml``. Parts and
the muscles this view can show can be highlighted; with a course, any of its muscles can be
named, and one this view cannot show is listed as out of view.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from ..figures import style
from ..model import Course
from .anatomy_layout import curve, normalise, place_labels, smooth
from .anatomy_shapes import BONES, DISCS, VERTEBRAE, AnatomyShapes, shapes_for
from .colours import (
    BONE,
    BONE_EDGE,
    DISC,
    DISC_EDGE,
    HATCH_EDGE,
    NERVE,
    NERVE_EDGE,
    PALE_BONE,
    PALE_BONE_EDGE,
    SKIN,
    SKIN_EDGE,
)

SPINE_PARTS = VERTEBRAE + DISCS + ("sacrum", "coccyx", "pelvis", "nerves", "vertebrae", "discs")


def _vertebra_frames(atlas: AnatomyShapes) -> list[tuple[np.ndarray, float]]:
    """Centre and tilt (degrees) of L1..L5 along a gentle lordosis; front is to the left."""
    return [(np.array(atlas.vertebrae[v][0]), atlas.vertebrae[v][1]) for v in VERTEBRAE]


def _rot(points: np.ndarray, deg: float, about: np.ndarray) -> np.ndarray:
    a = math.radians(deg)
    r = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    return (points - about) @ r.T + about


def _spine_geometry(atlas: AnatomyShapes) -> dict[str, list[np.ndarray]]:
    """Polygons (cm, front to the left) of every bony part, disc and the nerves."""
    geo: dict[str, list[np.ndarray]] = {}
    frames = _vertebra_frames(atlas)
    for name, (c, tilt) in zip(VERTEBRAE, frames, strict=True):
        # the body in front; behind it the arch (pedicle, lamina, spinous process) round the canal
        body = curve(atlas.vertebral_body) + c
        arch = curve(atlas.arch) + c
        geo[name] = [_rot(body, tilt, c), _rot(arch, tilt, c)]
    for i, name in enumerate(DISCS[:-1]):
        (c1, t1), (c2, t2) = frames[i], frames[i + 1]
        mid = (c1 + c2) / 2
        geo[name] = [_rot(curve(atlas.disc) + mid, (t1 + t2) / 2, mid)]
    for name in BONES:  # the last disc (L5-S1) sits on the sacrum, so it is drawn in place
        geo[name] = [curve(atlas.bones[name])]
    # nerves: the cauda equina down the canal, and a root leaving at each level
    nerves = atlas.nerves
    w = nerves.cord_half_width
    canal = [_rot(np.array([c + np.array(nerves.canal)]), t, c)[0] for c, t in frames]
    cord = np.array(
        [[x[0] - w, x[1]] for x in canal]
        + [list(p) for p in nerves.cord_end]
        + [[x[0] + w, x[1]] for x in canal[::-1]]
    )
    roots = []
    for c, tilt in frames:
        a = _rot(np.array([c + np.array(nerves.root_start)]), tilt, c)[0]
        roots.append(a + np.array(nerves.root))
    geo["nerves"] = [cord, *roots]
    return geo


def _spine_muscle_shapes(atlas: AnatomyShapes) -> dict[str, list[np.ndarray]]:
    """Where the muscles around the lumbar spine sit in this side view (front to the left)."""
    return {k: [smooth(np.array(points))] for k, points in atlas.spine_muscles.items()}


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
    wanted = normalise(highlight)
    atlas = shapes_for(course)
    parts: set[str] = set()
    muscles: dict[str, str | None] = {}  # highlight id -> spine shape key (None: not in view)
    for key in wanted:
        if key in SPINE_PARTS:
            parts.update(VERTEBRAE if key == "vertebrae" else DISCS if key == "discs" else (key,))
        elif key in atlas.spine_muscles:
            muscles[key] = key
        elif course is not None and key in course.muscles:
            muscles[key] = atlas.spine_groups.get(course.muscles[key].group)
        elif key in atlas.spine_groups:
            muscles[key] = atlas.spine_groups[key]
        elif course is not None and key in {m.group for m in course.muscles.values()}:
            muscles[key] = None
        else:
            raise KeyError(
                f"unknown part or muscle {key!r}; parts are {', '.join(SPINE_PARTS)}; muscles "
                f"shown here are {', '.join(atlas.spine_muscles)}"
            )
    geo = _spine_geometry(atlas)
    mshapes = _spine_muscle_shapes(atlas)
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
    trunk = curve(atlas.trunk)
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
    fill("pelvis", PALE_BONE, PALE_BONE_EDGE, 1.0, lw=1.0)
    fill("femur", PALE_BONE, PALE_BONE_EDGE, 1.0, lw=1.0)
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
    for name, (c, _) in zip(VERTEBRAE, _vertebra_frames(atlas), strict=True):
        labels.append((name, (c[0] - 2.0, c[1]), -1, c[1], name))
    for name in DISCS:
        if name in parts or name == "L4_L5":
            c = np.mean(geo[name][0], axis=0)
            labels.append(
                (f"disc ({name.replace('_', '-')})", (c[0] + 0.5, c[1] - 0.3), 1, c[1] - 1.0, name)
            )
    labels += [
        (lab.text, lab.point, 1 if lab.side == "back" else -1, lab.height, lab.part)
        for lab in atlas.labels
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
        ys = place_labels(
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
