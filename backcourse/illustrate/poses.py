"""Reading ``course_data/poses.yaml``: every exercise's key frames, checked and frozen.

``poses.yaml`` describes every exercise as a few key frames of joint angles on the body model
of :mod:`backcourse.illustrate.body_model`. :func:`parse_poses` turns the parsed YAML into
frozen dataclasses, checks every angle against the human range given in the file's
``joint_limits`` section, and checks (with :mod:`backcourse.illustrate.kinematics`) that the
parts a frame says rest on a surface really touch it. Every mistake names the file, the entry
and the field. Standard library only, because it is part of loading course data; drawing
lives in :mod:`backcourse.illustrate.exercise_pictures`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from types import MappingProxyType

from ..errors import CourseDataError
from .body_model import (
    ANGLE_KEYS,
    JOINTS,
    LIMB_JOINTS,
    LIMB_SEGMENTS,
    MUSCLE_SURFACES,
    PARTS,
    PROPS,
    SIDES,
    SURFACES,
    TRUNK_SEGMENTS,
    VIEWS,
    ExercisePoses,
    JointLimit,
    KeyFrame,
    PoseSettings,
    RegionPiece,
    View,
)
from .kinematics import contact_problems


def parse_poses(
    raw: object, file: str, exercise_ids: Collection[str]
) -> Mapping[str, ExercisePoses]:
    """Parse ``yaml.safe_load(poses.yaml)`` into ExercisePoses by exercise id.

    Raises
    ------
    CourseDataError
        Naming the file, the entry (exercise id or section) and the field: unknown exercise,
        joint, body part, surface or prop; an angle outside its human range; a missing start or
        end frame; a value of the wrong type; a resting part that does not touch its surface.
    """
    if not isinstance(raw, Mapping):
        raise CourseDataError(file, None, None, f"expected a top-level mapping, got {_kind(raw)}")
    for key in raw:
        if key not in ("joint_limits", "muscle_regions", "exercises"):
            raise CourseDataError(
                file,
                None,
                str(key),
                "is not a known section; expected joint_limits, muscle_regions, exercises",
            )
    limits = _parse_limits(raw.get("joint_limits"), file)
    regions = _parse_regions(raw.get("muscle_regions", {}), file)
    settings = PoseSettings(MappingProxyType(limits), MappingProxyType(regions))
    exercises = raw.get("exercises")
    if not isinstance(exercises, Mapping):
        raise CourseDataError(
            file,
            None,
            "exercises",
            f"expected a mapping of exercise id -> poses, got {_kind(exercises)}",
        )
    known = set(exercise_ids)
    out: dict[str, ExercisePoses] = {}
    for ex_id, entry in exercises.items():
        if not isinstance(ex_id, str) or ex_id not in known:
            raise CourseDataError(
                file, str(ex_id), None, "unknown exercise id; expected an id from exercises.yaml"
            )
        out[ex_id] = _parse_exercise(entry, file, ex_id, settings)
    return MappingProxyType(out)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"[:80]


def _number(value: object, file: str, entry: str, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CourseDataError(file, entry, field, f"expected a number, got {_kind(value)}")
    if not math.isfinite(value):
        raise CourseDataError(file, entry, field, f"expected a finite number, got {value!r}")
    return float(value)


def _parse_limits(raw: object, file: str) -> dict[str, JointLimit]:
    if not isinstance(raw, Mapping):
        raise CourseDataError(
            file,
            "joint_limits",
            None,
            f"expected a mapping of joint -> [low, high] degrees, got {_kind(raw)}",
        )
    limits: dict[str, JointLimit] = {}
    for joint, pair in raw.items():
        if joint not in JOINTS:
            raise CourseDataError(
                file,
                "joint_limits",
                str(joint),
                f"unknown joint; expected one of {', '.join(JOINTS)}",
            )
        if not isinstance(pair, list) or len(pair) != 2:
            raise CourseDataError(
                file, "joint_limits", joint, f"expected [low, high] in degrees, got {_kind(pair)}"
            )
        low = _number(pair[0], file, "joint_limits", joint)
        high = _number(pair[1], file, "joint_limits", joint)
        if not -360 <= low < high <= 360:
            raise CourseDataError(
                file, "joint_limits", joint, f"expected low < high within -360..360, got {pair}"
            )
        limits[joint] = JointLimit(low, high)
    missing = [j for j in JOINTS if j not in limits]
    if missing:
        raise CourseDataError(
            file, "joint_limits", missing[0], "is missing; every joint needs its human range"
        )
    return limits


def _parse_regions(raw: object, file: str) -> dict[str, tuple[RegionPiece, ...]]:
    if not isinstance(raw, Mapping):
        raise CourseDataError(
            file,
            "muscle_regions",
            None,
            f"expected a mapping of muscle or group id -> region, got {_kind(raw)}",
        )
    segs = set(TRUNK_SEGMENTS) | set(LIMB_SEGMENTS)
    out: dict[str, tuple[RegionPiece, ...]] = {}
    for key, value in raw.items():
        entry = f"muscle_regions.{key}"
        pieces_raw = value if isinstance(value, list) else [value]
        pieces = []
        for item in pieces_raw:
            if not isinstance(item, Mapping):
                raise CourseDataError(
                    file, entry, None, f"expected {{segment, surface, span}}, got {_kind(item)}"
                )
            for f in item:
                if f not in ("segment", "surface", "span"):
                    raise CourseDataError(
                        file, entry, str(f), "is not a known field; expected segment, surface, span"
                    )
            seg = item.get("segment")
            if seg not in segs:
                raise CourseDataError(
                    file,
                    entry,
                    "segment",
                    f"expected one of {', '.join(sorted(segs))}, got {_kind(seg)}",
                )
            surface = item.get("surface", "all")
            if surface not in MUSCLE_SURFACES:
                raise CourseDataError(
                    file,
                    entry,
                    "surface",
                    f"expected one of {', '.join(MUSCLE_SURFACES)}, got {_kind(surface)}",
                )
            span = item.get("span", [0, 1])
            if not isinstance(span, list) or len(span) != 2:
                raise CourseDataError(
                    file, entry, "span", f"expected [from, to] between 0 and 1, got {_kind(span)}"
                )
            a = _number(span[0], file, entry, "span")
            b = _number(span[1], file, entry, "span")
            if not 0 <= a < b <= 1:
                raise CourseDataError(
                    file, entry, "span", f"expected 0 <= from < to <= 1, got {span}"
                )
            pieces.append(RegionPiece(seg, surface, a, b))
        if not pieces:
            raise CourseDataError(file, entry, None, "expected at least one region piece")
        out[str(key)] = tuple(pieces)
    return out


_EXERCISE_FIELDS = ("view", "props", "anchor", "caption", "one_side", "frames")
_FRAME_FIELDS = ("name", "caption", "joints", "right", "left", "rests_on")


def _parse_exercise(raw: object, file: str, ex_id: str, settings: PoseSettings) -> ExercisePoses:
    if not isinstance(raw, Mapping):
        raise CourseDataError(file, ex_id, None, f"expected a mapping, got {_kind(raw)}")
    for key in raw:
        if key not in _EXERCISE_FIELDS:
            raise CourseDataError(
                file,
                ex_id,
                str(key),
                f"is not a known field; expected one of {', '.join(_EXERCISE_FIELDS)}",
            )
    view = _parse_view(raw.get("view", "side"), file, ex_id)
    props_raw = raw.get("props", [])
    if not isinstance(props_raw, list) or not all(isinstance(p, str) for p in props_raw):
        raise CourseDataError(
            file, ex_id, "props", f"expected a list of props, got {_kind(props_raw)}"
        )
    for p in props_raw:
        if p not in PROPS:
            raise CourseDataError(
                file, ex_id, "props", f"unknown prop {p!r}; expected some of {', '.join(PROPS)}"
            )
    props = tuple(dict.fromkeys(props_raw))
    caption = raw.get("caption", "")
    if not isinstance(caption, str):
        raise CourseDataError(file, ex_id, "caption", f"expected text, got {_kind(caption)}")
    one_side = raw.get("one_side", False)
    if not isinstance(one_side, bool):
        raise CourseDataError(
            file, ex_id, "one_side", f"expected true or false, got {_kind(one_side)}"
        )
    ground = None if "pool" in props else ("mat" if "mat" in props else "floor")

    frames_raw = raw.get("frames")
    if not isinstance(frames_raw, list) or not frames_raw:
        raise CourseDataError(
            file,
            ex_id,
            "frames",
            f"expected a list of key frames (start ... end), got {_kind(frames_raw)}",
        )
    names = [f.get("name") if isinstance(f, Mapping) else None for f in frames_raw]
    if names[0] != "start":
        raise CourseDataError(
            file, ex_id, "frames", "missing the start frame: the first frame must be named 'start'"
        )
    if len(names) < 2 or names[-1] != "end":
        raise CourseDataError(
            file, ex_id, "frames", "missing the end frame: the last frame must be named 'end'"
        )
    frames: list[KeyFrame] = []
    angles = {k: 0.0 for k in ANGLE_KEYS}
    rests: dict[str, str] = {}
    seen: set[str] = set()
    for n, fr in enumerate(frames_raw):
        where = f"frames[{n}]"
        if not isinstance(fr, Mapping):
            raise CourseDataError(file, ex_id, where, f"expected a mapping, got {_kind(fr)}")
        name = fr.get("name")
        if not isinstance(name, str) or not name:
            raise CourseDataError(
                file, ex_id, f"{where}.name", f"expected a name, got {_kind(name)}"
            )
        if name in seen:
            raise CourseDataError(
                file, ex_id, f"{where}.name", f"frame name {name!r} is used twice"
            )
        seen.add(name)
        where = f"frames.{name}"
        for key in fr:
            if key not in _FRAME_FIELDS:
                raise CourseDataError(
                    file,
                    ex_id,
                    f"{where}.{key}",
                    f"is not a known field; expected one of {', '.join(_FRAME_FIELDS)}",
                )
        angles = dict(angles)  # joints left out keep their value from the previous frame
        _read_angles(fr.get("joints", {}), None, angles, settings, file, ex_id, f"{where}.joints")
        for side in SIDES:
            _read_angles(fr.get(side, {}), side, angles, settings, file, ex_id, f"{where}.{side}")
        if "rests_on" in fr:
            rests = _parse_rests(fr["rests_on"], props, ground, file, ex_id, f"{where}.rests_on")
        cap = fr.get("caption", "")
        if not isinstance(cap, str):
            raise CourseDataError(
                file, ex_id, f"{where}.caption", f"expected text, got {_kind(cap)}"
            )
        frames.append(KeyFrame(name, MappingProxyType(angles), MappingProxyType(dict(rests)), cap))

    anchor = raw.get("anchor")
    if anchor is None:
        anchor = next(iter(frames[0].rests_on), "pelvis")
    if anchor not in PARTS:
        raise CourseDataError(
            file,
            ex_id,
            "anchor",
            f"unknown body part {anchor!r}; expected one of {', '.join(PARTS)}",
        )
    ep = ExercisePoses(ex_id, view, props, anchor, tuple(frames), settings, caption, one_side)
    moved = max(abs(ep.start.angles[k] - ep.end.angles[k]) for k in ANGLE_KEYS)
    if moved < 5:
        raise CourseDataError(
            file,
            ex_id,
            "frames",
            "the end frame must differ from the start frame (by 5 degrees or more in some joint)",
        )
    for kf in ep.frames:
        for problem in contact_problems(ep, kf):
            raise CourseDataError(file, ex_id, f"frames.{kf.name}.rests_on", problem)
    return ep


def _parse_view(raw: object, file: str, ex_id: str) -> View:
    if isinstance(raw, str):
        if raw not in VIEWS:
            raise CourseDataError(
                file,
                ex_id,
                "view",
                f"expected one of {', '.join(VIEWS)} or {{azimuth, elevation}}, got {raw!r}",
            )
        return View(raw, *VIEWS[raw])
    if isinstance(raw, Mapping):
        for key in raw:
            if key not in ("azimuth", "elevation"):
                raise CourseDataError(
                    file, ex_id, f"view.{key}", "is not a known field; expected azimuth, elevation"
                )
        az = _number(raw.get("azimuth", 0), file, ex_id, "view.azimuth")
        el = _number(raw.get("elevation", 0), file, ex_id, "view.elevation")
        if not -180 <= az <= 180 or not -10 <= el <= 89:
            raise CourseDataError(
                file,
                ex_id,
                "view",
                "expected azimuth from -180 to 180 and elevation from -10 to 89",
            )
        return View("custom", az, el)
    raise CourseDataError(file, ex_id, "view", f"expected a view name or mapping, got {_kind(raw)}")


def _read_angles(
    raw: object,
    side: str | None,
    out: dict[str, float],
    settings: PoseSettings,
    file: str,
    ex_id: str,
    where: str,
) -> None:
    if not isinstance(raw, Mapping):
        raise CourseDataError(
            file, ex_id, where, f"expected a mapping of joint: degrees, got {_kind(raw)}"
        )
    allowed = LIMB_JOINTS if side else JOINTS
    for joint, value in raw.items():
        if joint not in allowed:
            hint = "limb joints only" if side else "joints"
            raise CourseDataError(
                file,
                ex_id,
                f"{where}.{joint}",
                f"unknown joint; expected {hint}: {', '.join(allowed)}",
            )
        deg = _number(value, file, ex_id, f"{where}.{joint}")
        limit = settings.limits[joint]
        if deg not in limit:
            raise CourseDataError(
                file,
                ex_id,
                f"{where}.{joint}",
                f"{deg:g} degrees is outside the human range "
                f"{limit.low:g} to {limit.high:g} given in joint_limits",
            )
        if joint in LIMB_JOINTS:
            for s in (side,) if side else SIDES:
                out[f"{s}_{joint}"] = deg
        else:
            out[joint] = deg


def _parse_rests(
    raw: object, props: tuple[str, ...], ground: str | None, file: str, ex_id: str, where: str
) -> dict[str, str]:
    if isinstance(raw, list):
        if ground is None:
            raise CourseDataError(
                file, ex_id, where, "in a pool give a mapping of body part: water"
            )
        items: Iterable[tuple[object, object]] = ((p, ground) for p in raw)
    elif isinstance(raw, Mapping):
        items = raw.items()
    else:
        raise CourseDataError(
            file,
            ex_id,
            where,
            f"expected a list of body parts or a mapping part: surface, got {_kind(raw)}",
        )
    out: dict[str, str] = {}
    for part, surface in items:
        if part not in PARTS:
            raise CourseDataError(
                file,
                ex_id,
                where,
                f"unknown body part {part!r}; expected one of {', '.join(PARTS)}",
            )
        if surface not in SURFACES:
            raise CourseDataError(
                file,
                ex_id,
                f"{where}.{part}",
                f"unknown surface {surface!r}; expected one of {', '.join(SURFACES)}",
            )
        need = SURFACES[str(surface)][0]
        if need is not None and need not in props:
            raise CourseDataError(
                file, ex_id, f"{where}.{part}", f"rests on {surface} but props does not list {need}"
            )
        out[str(part)] = str(surface)
    return out
