"""The muscle map: the course's muscles on a front and a back view of a standing body.

A schematic (labelled so): the shapes come from ``course_data/anatomy.yaml``, positions are
right, sizes roughly in proportion. It can highlight any muscle or group of the course; a
muscle that has no shape of its own (a trainer's new muscle) is drawn where its group is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from ..figures import style
from ..model import Course
from .anatomy_layout import normalise, place_labels, smooth
from .anatomy_shapes import AnatomyShapes, shapes_for
from .body_model import ANGLE_KEYS, SIDES, View
from .colours import HATCH_EDGE, MUSCLE, MUSCLE_EDGE, SKIN, SKIN_EDGE
from .kinematics import pose_segments
from .projection import Camera, outline

_LAYER_ORDER = {"deep": 0, "middle": 1, "superficial": 2}


def _standing_angles(atlas: AnatomyShapes) -> dict[str, float]:
    angles = {k: 0.0 for k in ANGLE_KEYS}
    for side in SIDES:
        for joint, degrees in atlas.standing.items():
            angles[f"{side}_{joint}"] = degrees
    return angles


def _body_outline(ax: Axes, view: str, atlas: AnatomyShapes) -> float:
    """Draw the standing body model as a flat silhouette; returns the floor offset."""
    cam = Camera.of(View(view, 90.0 if view == "front" else -90.0, 0.0))
    segs = pose_segments(_standing_angles(atlas))
    low = min(s.low() for s in segs.values())
    polys = [outline(cam, s) + np.array([0.0, -low]) for s in segs.values()]
    for p in polys:
        ax.add_patch(Polygon(p, closed=True, fc=SKIN_EDGE, ec=SKIN_EDGE, lw=2.4, zorder=1))
    for p in polys:
        ax.add_patch(Polygon(p, closed=True, fc=SKIN, ec="none", zorder=1.1))
    return low


def _shape_polys(atlas: AnatomyShapes, muscle_key: str, view: str) -> list[np.ndarray]:
    """Screen polygons of a shape in a view: the front view shows the person's right on the
    viewer's left, the back view on the viewer's right."""
    shape = atlas.muscles[muscle_key]
    if shape.view != view:
        return []
    sign = -1.0 if view == "front" else 1.0
    pts = np.array(shape.outline, dtype=float)
    out = [smooth(pts * np.array([sign, 1.0]))]
    if shape.mirrored:
        out.append(smooth(pts * np.array([-sign, 1.0])))
    return out


def _resolve(
    course: Course, wanted: Sequence[str], atlas: AnatomyShapes
) -> dict[str, tuple[str, ...]]:
    """Highlight id (muscle or group) -> shape keys, falling back to the muscle's group."""
    groups = {m.group for m in course.muscles.values()}
    out: dict[str, tuple[str, ...]] = {}
    for key in wanted:
        if key in course.muscles:
            m = course.muscles[key]
            if key in atlas.muscles:
                out[key] = (key,)
            else:
                out[key] = atlas.groups.get(m.group, ())
        elif key in groups or key in atlas.groups:
            members = [
                m.id for m in course.muscles.values() if m.group == key and m.id in atlas.muscles
            ]
            out[key] = tuple(members) or atlas.groups.get(key, ())
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
    wanted = normalise(highlight)
    atlas = shapes_for(course)
    resolved = _resolve(course, wanted, atlas)
    # Fixed positions (no automatic layout): the labels live in the side margins.
    fig = style.figure(12.5, 9.6, layout=None)
    axes = [fig.add_axes((0.215, 0.05, 0.285, 0.86)), fig.add_axes((0.5, 0.05, 0.285, 0.86))]
    shown_in: dict[str, set[str]] = {k: set() for k in resolved}
    for ax, view in zip(axes, ("front", "back"), strict=True):
        ax.set_xlim(-44, 44)
        ax.set_ylim(-1, 176)
        ax.set_aspect("equal")
        ax.set_axis_off()
        _body_outline(ax, view, atlas)
        base = sorted(
            (m for m in course.muscles.values() if m.id in atlas.muscles and m.layer != "deep"),
            key=lambda m: (_LAYER_ORDER.get(m.layer, 2), m.id),
        )
        for m in base:
            for poly in _shape_polys(atlas, m.id, view):
                ax.add_patch(
                    Polygon(poly, closed=True, fc=MUSCLE, ec=MUSCLE_EDGE, lw=0.8, zorder=2)
                )
        targets = []
        if not resolved:
            for m in base:
                polys = _shape_polys(atlas, m.id, view)
                if polys:
                    sign = -1.0 if view == "front" else 1.0
                    own = [p for p in polys if np.mean(p[:, 0]) * sign >= -0.5] or polys
                    targets.append((m.id, np.mean(np.vstack(own), axis=0)))
        for key, shapes in resolved.items():
            layer = course.muscles[key].layer if key in course.muscles else "superficial"
            polys = [p for s in shapes for p in _shape_polys(atlas, s, view)]
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
        ys = place_labels([c[1] for _, c in targets], 8.0, 168.0, 2.5, [5.4 * n for n in lines])
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
