"""course_data/anatomy.yaml: the anatomy outlines are data, checked, and drive the drawing.

A trainer editing the shapes gets a message naming the file, the entry and the field; a copy
of the course without the file still draws (the bundled shapes); an edited outline moves the
drawn shape by exactly what was edited.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from matplotlib.colors import to_hex
from matplotlib.patches import Polygon

from backcourse import load_course
from backcourse.errors import CourseDataError
from backcourse.figures import style
from backcourse.illustrate import anatomy_figures, anatomy_shapes

ROOT = Path(__file__).resolve().parent.parent
RAW = yaml.safe_load((ROOT / "course_data" / "anatomy.yaml").read_text(encoding="utf-8"))


def highlighted_polygons(fig) -> list[np.ndarray]:
    """Vertices (data coordinates) of every patch filled with the highlight colour."""
    hl = to_hex(style.HIGHLIGHT)
    return [
        p.get_xy()
        for ax in fig.axes
        for p in ax.patches
        if isinstance(p, Polygon) and to_hex(p.get_facecolor()[:3]) == hl
    ]


def test_the_bundled_shapes_cover_every_muscle_of_the_course(course):
    """Every muscle can be shown on the muscle map: by its own shape or its group's."""
    shapes = anatomy_shapes.shapes_for(course)
    assert set(shapes.muscles) <= set(course.muscles), "a shape for a muscle the course lacks"
    groups = {m.group for m in course.muscles.values()}
    assert set(shapes.groups) <= groups and set(shapes.spine_groups) <= groups
    for m in course.muscles.values():
        assert m.id in shapes.muscles or shapes.groups.get(m.group), m.id
    assert tuple(shapes.vertebrae) == anatomy_figures.VERTEBRAE


def _set(path: str, value: object):
    def edit(raw: dict) -> None:
        *parents, last = path.split("/")
        node = raw
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is _DELETE:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return edit


_DELETE = object()

BAD = [
    # (what a trainer got wrong, edit, entry, field)
    ("unknown view", _set("muscle_map/muscles/obliques/view", "side"),
     "muscle_map.muscles.obliques", "view"),
    ("a point with one number", _set("muscle_map/muscles/obliques/outline/2", [7.0]),
     "muscle_map.muscles.obliques", "outline[2]"),
    ("an outline of two points", _set("spine/muscles/multifidus", [[0, 0], [1, 1]]),
     "spine.muscles", "multifidus"),
    ("text for a number", _set("spine/vertebrae/L2/tilt", "steep"), "spine.vertebrae.L2", "tilt"),
    ("not a finite number", _set("spine/trunk/outline/0", [math.inf, 1.0]),
     "spine.trunk", "outline[0]"),
    ("true for a number", _set("spine/vertebrae/L4/centre", [True, 2.0]),
     "spine.vertebrae.L4", "centre"),
    ("an unknown field", _set("muscle_map/muscles/hamstrings/colour", "red"),
     "muscle_map.muscles.hamstrings", "colour"),
    ("a group naming no shape", _set("muscle_map/groups/abdominals", ["rectus_abdominus"]),
     "muscle_map.groups", "abdominals"),
    ("a spine group naming no shape", _set("spine/groups/glutes", "gluteus"),
     "spine.groups", "glutes"),
    ("a missing vertebra", _set("spine/vertebrae/L3", _DELETE), "spine.vertebrae", "L3"),
    ("a missing bone", _set("spine/bones/coccyx", _DELETE), "spine.bones", "coccyx"),
    ("a negative smoothing", _set("spine/bones/sacrum/smooth", -1), "spine.bones.sacrum", "smooth"),
    ("a label in no margin", _set("spine/labels/0/side", "left"), "spine.labels[0]", "side"),
    ("a label naming no part", _set("spine/labels/0/part", "skull"), "spine.labels[0]", "part"),
    ("an unknown joint", _set("muscle_map/standing/knee_bend", 10), "muscle_map.standing",
     "knee_bend"),
    ("a cord of no width", _set("spine/nerves/cord_half_width", 0), "spine.nerves",
     "cord_half_width"),
    ("mirrored as text", _set("muscle_map/muscles/pelvic_floor/mirrored", "no"),
     "muscle_map.muscles.pelvic_floor", "mirrored"),
    ("a missing section", _set("spine", _DELETE), None, "spine"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "edit", "entry", "field"), BAD, ids=[b[0] for b in BAD])
def test_a_mistake_names_the_file_the_entry_and_the_field(what, edit, entry, field):
    raw = copy.deepcopy(RAW)
    edit(raw)
    with pytest.raises(CourseDataError) as info:
        anatomy_shapes.parse_anatomy(raw, "anatomy.yaml")
    err = info.value
    assert (err.file, err.entry, err.field) == ("anatomy.yaml", entry, field), str(err)
    assert str(err).startswith("anatomy.yaml")


@pytest.mark.parametrize("raw", [None, [], "shapes", {"muscle_map": {}, "spine": {}}])
def test_a_file_of_the_wrong_shape_is_refused(raw):
    with pytest.raises(CourseDataError, match=r"^anatomy\.yaml"):
        anatomy_shapes.parse_anatomy(raw, "anatomy.yaml")


def test_a_broken_file_in_a_trainers_copy_is_reported_when_drawn(data_copy):
    (data_copy / "anatomy.yaml").write_text("muscle_map: [unclosed\n", encoding="utf-8")
    mine = load_course(data_copy)  # the course itself still loads
    with pytest.raises(CourseDataError, match=r"^anatomy\.yaml: YAML does not parse"):
        anatomy_figures.muscle_figure(mine, "obliques")


def test_a_copy_without_the_file_draws_the_bundled_shapes(data_copy, course):
    (data_copy / "anatomy.yaml").unlink()
    mine = load_course(data_copy)
    ours = highlighted_polygons(anatomy_figures.spine_figure("multifidus", course=mine))
    bundled = highlighted_polygons(anatomy_figures.spine_figure("multifidus", course=course))
    assert len(ours) == len(bundled) >= 1
    assert all(np.array_equal(a, b) for a, b in zip(ours, bundled, strict=True))


def test_an_edited_outline_moves_the_drawn_muscle(data_copy, course):
    """Raise the hamstrings' outline by 10 cm in the file: the drawn shape rises by 10."""
    raw = copy.deepcopy(RAW)
    outline = raw["muscle_map"]["muscles"]["hamstrings"]["outline"]
    raw["muscle_map"]["muscles"]["hamstrings"]["outline"] = [[x, y + 10.0] for x, y in outline]
    (data_copy / "anatomy.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    mine = load_course(data_copy)
    before = highlighted_polygons(anatomy_figures.muscle_figure(course, "hamstrings"))
    after = highlighted_polygons(anatomy_figures.muscle_figure(mine, "hamstrings"))
    assert len(before) == len(after) == 2  # the right side and its mirror image
    for a, b in zip(before, after, strict=True):
        assert np.allclose(b[:, 0], a[:, 0]) and np.allclose(b[:, 1], a[:, 1] + 10.0)
