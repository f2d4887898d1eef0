"""Reading ``course_data/anatomy.yaml``: the outlines of the anatomy schematics, checked.

The muscle map and the side view of the lower back are drawn from the shapes in that file
(see the comments at its top). :func:`parse_anatomy` checks the parsed YAML and freezes it;
every mistake names the file, the entry (the section path, e.g. ``spine.bones.sacrum``) and
the field. :func:`shapes_for` loads the file of a course's folder, or the bundled one when a
trainer's copy of the course has none, read again only when the file changes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from ..catalog import default_data_dir, read_yaml
from ..errors import CourseDataError
from ..model import Course
from .body_model import LIMB_JOINTS

FILE = "anatomy.yaml"
Point = tuple[float, float]

VIEWS = ("front", "back")  # of the muscle map
VERTEBRAE = ("L1", "L2", "L3", "L4", "L5")
DISCS = ("L1_L2", "L2_L3", "L3_L4", "L4_L5", "L5_S1")
BONES = ("L5_S1", "sacrum", "coccyx", "pelvis", "femur")  # drawn in place, as they are
PARTS = VERTEBRAE + DISCS + ("sacrum", "coccyx", "pelvis", "nerves")  # a label can name
LABEL_SIDES = ("front", "back")  # the margins of the side view: front left, back right
MAX_SMOOTH = 24
_SPINE_SECTIONS = (
    "vertebrae",
    "vertebral_body",
    "arch",
    "disc",
    "bones",
    "nerves",
    "trunk",
    "muscles",
    "groups",
    "labels",
)


@dataclass(frozen=True)
class Outline:
    """A closed outline; ``smooth`` steps of a rounded curve between points (0: straight)."""

    points: tuple[Point, ...]
    smooth: int = 0


@dataclass(frozen=True)
class MuscleShape:
    """A muscle on the muscle map: its view and its outline on the person's right side."""

    view: str  # one of VIEWS
    outline: tuple[Point, ...]
    mirrored: bool = True  # False: one shape across the midline, drawn once


@dataclass(frozen=True)
class Nerves:
    """How the cauda equina and the nerve roots are drawn from the vertebrae."""

    canal: Point
    cord_half_width: float
    cord_end: tuple[Point, ...]
    root_start: Point
    root: tuple[Point, ...]


@dataclass(frozen=True)
class SpineLabel:
    """A fixed label of the side view: its text, the point it names, where it sits."""

    text: str
    point: Point
    side: str  # one of LABEL_SIDES
    height: float
    part: str = ""  # the part it names, bold when highlighted


@dataclass(frozen=True)
class AnatomyShapes:
    """Everything anatomy.yaml gives, frozen."""

    standing: Mapping[str, float]  # limb joint -> degrees, both sides
    muscles: Mapping[str, MuscleShape]
    groups: Mapping[str, tuple[str, ...]]  # muscle group -> muscles whose shapes stand for it
    vertebrae: Mapping[str, tuple[Point, float]]  # L1..L5 -> (centre, tilt in degrees)
    vertebral_body: Outline
    arch: Outline
    disc: Outline
    bones: Mapping[str, Outline]
    nerves: Nerves
    trunk: Outline
    spine_muscles: Mapping[str, tuple[Point, ...]]
    spine_groups: Mapping[str, str]  # muscle group -> the spine muscle standing for it
    labels: tuple[SpineLabel, ...]


# --------------------------------------------------------------------------- loading


def shapes_for(course: Course | None) -> AnatomyShapes:
    """The shapes of a course: its folder's anatomy.yaml, else the bundled one."""
    path = default_data_dir() / FILE
    if course is not None and (Path(course.root) / FILE).is_file():
        path = Path(course.root) / FILE
    return load(path)


def load(path: Path) -> AnatomyShapes:
    """Read and check one anatomy.yaml; read again only when the file has changed."""
    try:
        stat = path.stat()
        version = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = (0, 0)  # read_yaml reports the missing or unreadable file
    return _load(path, version)


@lru_cache(maxsize=8)
def _load(path: Path, version: tuple[int, int]) -> AnatomyShapes:
    return parse_anatomy(read_yaml(path), path.name)


def parse_anatomy(raw: object, file: str = FILE) -> AnatomyShapes:
    """Check ``yaml.safe_load(anatomy.yaml)`` and freeze it.

    Raises
    ------
    CourseDataError
        Naming the file, the entry and the field: an unknown or missing section or field,
        a point that is not two finite numbers, an outline of fewer than three points, an
        unknown view or joint, a group naming a shape the file does not have.
    """
    top = _fields(raw, file, None, ("muscle_map", "spine"))
    mm = _fields(top["muscle_map"], file, "muscle_map", ("standing", "muscles", "groups"))
    sp = _fields(top["spine"], file, "spine", _SPINE_SECTIONS)
    muscles = {
        str(k): _muscle_shape(v, file, f"muscle_map.muscles.{k}")
        for k, v in _mapping(mm["muscles"], file, "muscle_map", "muscles").items()
    }
    spine_muscles = {
        str(k): _points(v, file, "spine.muscles", str(k), least=3)
        for k, v in _mapping(sp["muscles"], file, "spine", "muscles").items()
    }
    return AnatomyShapes(
        standing=_standing(mm["standing"], file),
        muscles=MappingProxyType(muscles),
        groups=_groups(mm["groups"], file, "muscle_map", muscles, many=True),
        vertebrae=_vertebrae(sp["vertebrae"], file),
        vertebral_body=_outline(sp["vertebral_body"], file, "spine.vertebral_body"),
        arch=_outline(sp["arch"], file, "spine.arch"),
        disc=_outline(sp["disc"], file, "spine.disc"),
        bones=MappingProxyType(
            {
                b: _outline(v, file, f"spine.bones.{b}")
                for b, v in _fields(sp["bones"], file, "spine.bones", BONES).items()
            }
        ),
        nerves=_nerves(sp["nerves"], file),
        trunk=_outline(sp["trunk"], file, "spine.trunk"),
        spine_muscles=MappingProxyType(spine_muscles),
        spine_groups=_groups(sp["groups"], file, "spine", spine_muscles, many=False),
        labels=_labels(sp["labels"], file),
    )


# --------------------------------------------------------------------------- checks


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"[:80]


def _mapping(raw: object, file: str, entry: str | None, field: str | None) -> Mapping[str, object]:
    """A non-empty mapping with names (text) as keys."""
    if not isinstance(raw, Mapping) or not raw:
        raise CourseDataError(file, entry, field, f"expected a mapping, got {_kind(raw)}")
    for key in raw:
        if not isinstance(key, str):
            where = f"{entry}.{field}" if entry and field else entry or field
            raise CourseDataError(file, where, str(key), "expected a name (text) as the key")
    return raw


def _fields(
    raw: object,
    file: str,
    entry: str | None,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> Mapping[str, object]:
    """A mapping with every required field, and no field but these."""
    if not isinstance(raw, Mapping):
        raise CourseDataError(file, entry, None, f"expected a mapping, got {_kind(raw)}")
    known = required + optional
    for key in raw:
        if key not in known:
            raise CourseDataError(
                file, entry, str(key), f"is not a known field; expected {', '.join(known)}"
            )
    for key in required:
        if key not in raw:
            raise CourseDataError(file, entry, key, "is missing")
    return raw


def _number(raw: object, file: str, entry: str, field: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise CourseDataError(file, entry, field, f"expected a finite number, got {_kind(raw)}")
    return float(raw)


def _point(raw: object, file: str, entry: str, field: str) -> Point:
    if not isinstance(raw, list) or len(raw) != 2:
        raise CourseDataError(file, entry, field, f"expected a point [x, y], got {_kind(raw)}")
    return (_number(raw[0], file, entry, field), _number(raw[1], file, entry, field))


def _points(raw: object, file: str, entry: str, field: str, least: int) -> tuple[Point, ...]:
    if not isinstance(raw, list) or len(raw) < least:
        raise CourseDataError(
            file,
            entry,
            field,
            f"expected a list of {least} or more [x, y] points, got {_kind(raw)}",
        )
    return tuple(_point(p, file, entry, f"{field}[{i}]") for i, p in enumerate(raw))


def _outline(raw: object, file: str, entry: str) -> Outline:
    fields = _fields(raw, file, entry, ("outline", "smooth"))
    smooth = fields["smooth"]
    if isinstance(smooth, bool) or not isinstance(smooth, int) or not 0 <= smooth <= MAX_SMOOTH:
        raise CourseDataError(
            file, entry, "smooth", f"expected a whole number 0 to {MAX_SMOOTH}, got {_kind(smooth)}"
        )
    return Outline(_points(fields["outline"], file, entry, "outline", least=3), smooth)


def _muscle_shape(raw: object, file: str, entry: str) -> MuscleShape:
    raw = _fields(raw, file, entry, ("view", "outline"), ("mirrored",))
    view = raw["view"]
    if view not in VIEWS:
        raise CourseDataError(file, entry, "view", f"expected front or back, got {_kind(view)}")
    mirrored = raw.get("mirrored", True)
    if not isinstance(mirrored, bool):
        raise CourseDataError(
            file, entry, "mirrored", f"expected true or false, got {_kind(mirrored)}"
        )
    return MuscleShape(view, _points(raw["outline"], file, entry, "outline", least=3), mirrored)


def _standing(raw: object, file: str) -> Mapping[str, float]:
    out = {}
    for joint, value in _mapping(raw, file, "muscle_map", "standing").items():
        if joint not in LIMB_JOINTS:
            raise CourseDataError(
                file,
                "muscle_map.standing",
                joint,
                f"unknown joint; expected one of {', '.join(LIMB_JOINTS)}",
            )
        deg = _number(value, file, "muscle_map.standing", joint)
        if not -180 <= deg <= 180:
            raise CourseDataError(
                file, "muscle_map.standing", joint, f"expected -180 to 180 degrees, got {deg:g}"
            )
        out[joint] = deg
    return MappingProxyType(out)


def _groups(
    raw: object, file: str, section: str, shapes: Mapping[str, object], *, many: bool
) -> Mapping[str, tuple[str, ...]] | Mapping[str, str]:
    """Group id -> shape ids of this section (a list with ``many``, else one id)."""
    entry = f"{section}.groups"
    out: dict[str, object] = {}
    for group, value in _mapping(raw, file, section, "groups").items():
        names = value if many else [value]
        if not isinstance(names, list) or not names:
            want = "a list of muscle ids" if many else "one muscle id"
            raise CourseDataError(file, entry, group, f"expected {want}, got {_kind(value)}")
        for name in names:
            if name not in shapes:
                raise CourseDataError(
                    file,
                    entry,
                    group,
                    f"{name!r} has no shape in {section}.muscles; expected one of "
                    f"{', '.join(shapes)}",
                )
        out[group] = tuple(names) if many else names[0]
    return MappingProxyType(out)  # type: ignore[arg-type]


def _vertebrae(raw: object, file: str) -> Mapping[str, tuple[Point, float]]:
    fields = _fields(raw, file, "spine.vertebrae", VERTEBRAE)
    out = {}
    for name in VERTEBRAE:
        entry = f"spine.vertebrae.{name}"
        v = _fields(fields[name], file, entry, ("centre", "tilt"))
        tilt = _number(v["tilt"], file, entry, "tilt")
        if not -90 <= tilt <= 90:
            raise CourseDataError(file, entry, "tilt", f"expected -90 to 90 degrees, got {tilt:g}")
        out[name] = (_point(v["centre"], file, entry, "centre"), tilt)
    return MappingProxyType(out)


def _nerves(raw: object, file: str) -> Nerves:
    entry = "spine.nerves"
    fields = _fields(
        raw, file, entry, ("canal", "cord_half_width", "cord_end", "root_start", "root")
    )
    width = _number(fields["cord_half_width"], file, entry, "cord_half_width")
    if width <= 0:
        raise CourseDataError(
            file, entry, "cord_half_width", f"expected more than 0, got {width:g}"
        )
    return Nerves(
        canal=_point(fields["canal"], file, entry, "canal"),
        cord_half_width=width,
        cord_end=_points(fields["cord_end"], file, entry, "cord_end", least=1),
        root_start=_point(fields["root_start"], file, entry, "root_start"),
        root=_points(fields["root"], file, entry, "root", least=3),
    )


def _labels(raw: object, file: str) -> tuple[SpineLabel, ...]:
    if not isinstance(raw, list):
        raise CourseDataError(file, "spine", "labels", f"expected a list, got {_kind(raw)}")
    out = []
    for i, item in enumerate(raw):
        entry = f"spine.labels[{i}]"
        item = _fields(item, file, entry, ("text", "point", "side", "height"), ("part",))
        text, side, part = item["text"], item["side"], item.get("part", "")
        if not isinstance(text, str) or not text.strip():
            raise CourseDataError(file, entry, "text", f"expected text, got {_kind(text)}")
        if side not in LABEL_SIDES:
            raise CourseDataError(file, entry, "side", f"expected front or back, got {_kind(side)}")
        if part != "" and part not in PARTS:
            raise CourseDataError(
                file, entry, "part", f"expected one of {', '.join(PARTS)}, got {_kind(part)}"
            )
        point = _point(item["point"], file, entry, "point")
        out.append(
            SpineLabel(text, point, side, _number(item["height"], file, entry, "height"), part)
        )
    return tuple(out)
