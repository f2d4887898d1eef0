"""Key-frame poses for the exercise illustrations: parsing, checking and forward kinematics.

``course_data/poses.yaml`` describes every exercise as a few key frames of joint angles on a
simple 3-D body model (a pelvis, two spine segments, a neck and head, two arms and two legs).
This module turns that YAML into frozen dataclasses, checks every angle against the human
range given in the file's ``joint_limits`` section, places the body on its floor, mat, chair
or saddle, and checks that the parts a frame says rest on a surface really touch it. It
imports only the standard library and ``backcourse.errors``, because it is part of loading
course data; drawing lives in ``backcourse.figures.poses``.

Conventions (see the comments at the top of poses.yaml for a trainer's version):

- Angles are in degrees. Flexion is positive and extension negative; abduction and
  external rotation are positive on both sides; side bends and rotations of the spine are
  positive to the person's right.
- ``lean`` turns the whole body in the picture plane (90: face down with the head to the
  right, -90: on the back with the head to the left), ``turn`` spins it about its own long
  axis (90: the front faces the viewer), ``tilt`` tips it sideways.
- In the default side view the person faces right and their right side is nearest the
  viewer, so ``right`` limbs are the near ones.
- Lengths are in centimetres, for an adult about 1.72 m tall.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..errors import CourseDataError

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]  # rows

SIDES = ("right", "left")
ROOT_JOINTS = ("lean", "turn", "tilt")
TRUNK_JOINTS = (
    "lumbar_flexion",
    "lumbar_side_bend",
    "lumbar_rotation",
    "thoracic_flexion",
    "thoracic_side_bend",
    "thoracic_rotation",
    "neck_flexion",
    "neck_side_bend",
    "neck_rotation",
)
LIMB_JOINTS = (
    "hip_flexion",
    "hip_abduction",
    "hip_rotation",
    "knee_flexion",
    "ankle_dorsiflexion",
    "shoulder_flexion",
    "shoulder_abduction",
    "shoulder_rotation",
    "elbow_flexion",
    "wrist_extension",
)
JOINTS = ROOT_JOINTS + TRUNK_JOINTS + LIMB_JOINTS
# Every angle of a resolved pose: unsided joints, then right_* and left_* limb joints.
ANGLE_KEYS = ROOT_JOINTS + TRUNK_JOINTS + tuple(f"{s}_{j}" for s in SIDES for j in LIMB_JOINTS)

# Segments of the body model. Limb segments exist once per side (right_thigh, left_thigh).
TRUNK_SEGMENTS = ("pelvis", "lumbar", "thorax", "neck", "head")
LIMB_SEGMENTS = ("thigh", "shank", "foot", "upper_arm", "forearm", "hand")
SEGMENTS = TRUNK_SEGMENTS + tuple(f"{s}_{g}" for s in SIDES for g in LIMB_SEGMENTS)

# Body parts a frame can rest on a surface, as (segment, which end): 0 the start of the
# segment, 1 its end, None its lowest point anywhere. A part made of several ends touches only
# when all of them do (a flat foot needs heel and toes down).
_TRUNK_PARTS: dict[str, tuple[tuple[str, int | None], ...]] = {
    "head": (("head", None),),
    "neck": (("neck", None),),
    "upper_back": (("thorax", None),),
    "chest": (("thorax", None),),
    "lower_back": (("lumbar", None),),
    "belly": (("lumbar", None),),
    "pelvis": (("pelvis", None),),
    "buttocks": (("pelvis", None),),
}
_LIMB_PARTS: dict[str, tuple[str, tuple[tuple[str, int | None], ...]]] = {
    # singular: (plural, ends)
    "foot": ("feet", (("foot", 0), ("foot", 1))),
    "heel": ("heels", (("foot", 0),)),
    "toes": ("toes", (("foot", 1),)),
    "knee": ("knees", (("shank", 0),)),
    "shin": ("shins", (("shank", 0), ("shank", 1))),
    "thigh": ("thighs", (("thigh", 0), ("thigh", 1))),
    "hand": ("hands", (("hand", 0), ("hand", 1))),
    "fingers": ("fingers", (("hand", 1),)),
    "forearm": ("forearms", (("forearm", 0), ("forearm", 1))),
    "elbow": ("elbows", (("forearm", 0),)),
    "upper_arm": ("upper_arms", (("upper_arm", 0), ("upper_arm", 1))),
}


def _build_parts() -> dict[str, tuple[tuple[str, int | None], ...]]:
    parts = dict(_TRUNK_PARTS)
    for single, (plural, ends) in _LIMB_PARTS.items():
        for side in SIDES:
            parts[f"{side}_{single}"] = tuple((f"{side}_{seg}", end) for seg, end in ends)
        parts[plural] = tuple((f"{side}_{seg}", end) for side in SIDES for seg, end in ends)
    return parts


PARTS: Mapping[str, tuple[tuple[str, int | None], ...]] = MappingProxyType(_build_parts())

# Props the drawing knows, and the surfaces each one brings. Heights in cm above the floor;
# None: the surface is placed where the body needs it (a chair's seat under the pelvis).
PROPS = ("mat", "chair", "weights", "exercise_bike", "pool")
MAT_THICKNESS = 1.5
CHAIR_SEAT_HEIGHT = 45.0
CHAIR_BACK_HEIGHT = 85.0
SADDLE_HEIGHT = 82.0
SURFACES: Mapping[str, tuple[str | None, float]] = MappingProxyType(
    {
        "floor": (None, 0.0),
        "mat": ("mat", MAT_THICKNESS),
        "chair": ("chair", CHAIR_SEAT_HEIGHT),
        "chair_back": ("chair", CHAIR_BACK_HEIGHT),
        "saddle": ("exercise_bike", SADDLE_HEIGHT),
        "water": ("pool", 0.0),
    }
)
# How far (cm) a resting part may be from its surface, and how far anything may sink in.
CONTACT_TOLERANCE = 3.0

VIEWS: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        # a little from above and in front, so the far limbs show beside the near ones
        "side": (-12.0, 9.0),
        "front": (90.0, 6.0),
        "back": (-90.0, 6.0),
        "above": (0.0, 89.0),
    }
)

MUSCLE_SURFACES = ("front", "back", "side", "outer", "inner", "all")


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class JointLimit:
    """The human range of one joint, in degrees, inclusive."""

    low: float
    high: float

    def __contains__(self, value: object) -> bool:
        return isinstance(value, (int, float)) and self.low - 1e-9 <= value <= self.high + 1e-9


@dataclass(frozen=True)
class RegionPiece:
    """Part of a muscle's outline on the figure: a stretch of one segment's surface."""

    segment: str  # a trunk segment, or a limb segment without side (thigh: both thighs)
    surface: str  # one of MUSCLE_SURFACES
    start: float = 0.0  # along the segment, 0 its start to 1 its end
    end: float = 1.0


@dataclass(frozen=True)
class View:
    """Where the viewer stands: azimuth 0 is the side view, 90 the front, elevation 90 above."""

    name: str
    azimuth: float
    elevation: float


@dataclass(frozen=True)
class KeyFrame:
    """One key position: every joint angle (resolved, by ANGLE_KEYS) and what rests where."""

    name: str
    angles: Mapping[str, float]
    rests_on: Mapping[str, str]  # body part -> surface
    caption: str = ""


@dataclass(frozen=True)
class PoseSettings:
    """The file-wide sections of poses.yaml, shared by every exercise."""

    limits: Mapping[str, JointLimit]
    regions: Mapping[str, tuple[RegionPiece, ...]]  # muscle id or muscle group -> pieces


@dataclass(frozen=True)
class ExercisePoses:
    """The key frames of one exercise, with the view and props its illustration needs."""

    exercise_id: str
    view: View
    props: tuple[str, ...]
    anchor: str  # the body part kept in place from frame to frame
    frames: tuple[KeyFrame, ...]  # start first, end last
    settings: PoseSettings
    caption: str = ""
    one_side: bool = False  # a per-side exercise drawn for one side only

    @property
    def start(self) -> KeyFrame:
        return self.frames[0]

    @property
    def end(self) -> KeyFrame:
        return self.frames[-1]

    @property
    def ground(self) -> str | None:
        """The surface the body lies or stands on by default (None in a pool)."""
        if "pool" in self.props:
            return None
        return "mat" if "mat" in self.props else "floor"

    def frame_at(self, t: float) -> KeyFrame:
        """The pose a fraction ``t`` (0 start, 1 end) of the way through the key frames.

        Joints move smoothly (ease in and out) from one key frame to the next; between two
        key frames a part counts as resting only when it rests in both.
        """
        t = min(1.0, max(0.0, float(t)))
        n = len(self.frames) - 1
        pos = t * n
        i = min(int(pos), n - 1)
        u = pos - i
        a, b = self.frames[i], self.frames[i + 1]
        if u <= 1e-9:
            return a
        if u >= 1 - 1e-9:
            return b
        e = u * u * (3 - 2 * u)
        angles = {k: a.angles[k] + (b.angles[k] - a.angles[k]) * e for k in ANGLE_KEYS}
        rests = {p: s for p, s in a.rests_on.items() if b.rests_on.get(p) == s}
        return KeyFrame(f"{a.name}-{b.name}", MappingProxyType(angles), MappingProxyType(rests))

    def sequence(self, steps: int) -> tuple[KeyFrame, ...]:
        """``steps`` evenly spaced poses from start to end (both included)."""
        if steps < 2:
            raise ValueError("steps must be at least 2")
        return tuple(self.frame_at(i / (steps - 1)) for i in range(steps))


# --------------------------------------------------------------------------- parsing


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


# --------------------------------------------------------------------------- kinematics

# Body dimensions (cm). Segment ends are given in the segment's own frame: X forward, Y up
# along the body, Z to the person's right. Semi-axes are (front-back, along, side-to-side).
HIP_HALF_WIDTH = 9.0
LUMBAR_BASE: Vec = (-2.0, 10.0, 0.0)  # in the pelvis frame, from the hip centre
LUMBAR_LENGTH = 18.0
THORAX_LENGTH = 26.0
SHOULDER: Vec = (0.5, 21.5, 17.0)  # in the thorax frame, right side
HEAD_CENTRE: Vec = (2.5, 15.5, 0.0)  # in the neck frame
THIGH = 43.0
SHANK = 42.0
UPPER_ARM = 29.0
FOREARM = 25.0
HAND = 17.0
HEEL: Vec = (-4.5, -4.8, 0.0)  # in the foot frame, from the ankle
TOE: Vec = (14.5, -5.6, 0.0)

# segment -> (start, end, semi-axes at start, semi-axes at end), in the segment frame
_SHAPES: dict[str, tuple[Vec, Vec, Vec, Vec]] = {
    "pelvis": ((-3.0, 0.5, 0.0), (-3.0, 9.5, 0.0), (11.0, 11.0, 16.5), (10.5, 10.5, 16.0)),
    "lumbar": ((0.0, 0.0, 0.0), (0.0, LUMBAR_LENGTH, 0.0), (10.0, 9.0, 14.5), (10.5, 9.0, 14.5)),
    "thorax": ((0.0, 0.0, 0.0), (0.0, 22.0, 0.0), (11.0, 10.0, 15.0), (10.5, 9.0, 16.5)),
    "neck": ((0.0, 0.0, 0.0), (1.5, 9.0, 0.0), (5.5, 5.5, 5.5), (5.5, 5.5, 5.5)),
    "head": (HEAD_CENTRE, HEAD_CENTRE, (10.5, 11.5, 9.0), (10.5, 11.5, 9.0)),
    "thigh": ((0.0, 0.0, 0.0), (0.0, -THIGH, 0.0), (8.0, 8.0, 8.0), (5.5, 5.5, 5.5)),
    "shank": ((0.0, 0.0, 0.0), (0.0, -SHANK, 0.0), (5.5, 5.5, 5.5), (3.8, 3.8, 3.8)),
    "foot": (HEEL, TOE, (3.2, 3.2, 3.5), (2.4, 2.4, 4.2)),
    "upper_arm": ((0.0, 0.0, 0.0), (0.0, -UPPER_ARM, 0.0), (5.0, 5.0, 5.0), (3.8, 3.8, 3.8)),
    "forearm": ((0.0, 0.0, 0.0), (0.0, -FOREARM, 0.0), (3.8, 3.8, 3.8), (2.8, 2.8, 2.8)),
    "hand": ((0.0, 0.0, 0.0), (0.0, -HAND, 0.0), (2.2, 2.8, 3.6), (1.6, 2.0, 3.0)),
}


def _rx(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def _ry(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def _rz(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def _mm(a: Mat, b: Mat) -> Mat:
    return tuple(  # type: ignore[return-value]
        tuple(sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)) for i in range(3)
    )


def _mv(a: Mat, v: Vec) -> Vec:
    return (
        a[0][0] * v[0] + a[0][1] * v[1] + a[0][2] * v[2],
        a[1][0] * v[0] + a[1][1] * v[1] + a[1][2] * v[2],
        a[2][0] * v[0] + a[2][1] * v[1] + a[2][2] * v[2],
    )


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _chain(*mats: Mat) -> Mat:
    out = mats[0]
    for m in mats[1:]:
        out = _mm(out, m)
    return out


@dataclass(frozen=True)
class Segment:
    """One body segment in world coordinates (cm; y up, z towards the side-view viewer)."""

    name: str
    frame: Mat  # columns: the segment's forward, up-the-body and rightward axes
    origin: Vec  # the joint the segment hangs from
    start: Vec
    end: Vec
    semi_start: Vec  # semi-axes (forward, along, sideways) at the start
    semi_end: Vec

    def axis(self, i: int) -> Vec:
        return (self.frame[0][i], self.frame[1][i], self.frame[2][i])

    def extent(self, end: int, direction: Vec) -> float:
        """How far the rounded end reaches from its centre along a unit direction."""
        semi = self.semi_start if end == 0 else self.semi_end
        return math.sqrt(
            sum(
                (semi[i] * sum(self.frame[k][i] * direction[k] for k in range(3))) ** 2
                for i in range(3)
            )
        )

    def low(self, end: int | None = None) -> float:
        """The lowest height of one end (0, 1) or of the whole segment (None)."""
        ends = (0, 1) if end is None else (end,)
        down = (0.0, -1.0, 0.0)
        return min((self.start, self.end)[e][1] - self.extent(e, down) for e in ends)

    def high(self, end: int | None = None) -> float:
        ends = (0, 1) if end is None else (end,)
        up = (0.0, 1.0, 0.0)
        return max((self.start, self.end)[e][1] + self.extent(e, up) for e in ends)

    def point(self, s: float) -> Vec:
        return tuple(a + (b - a) * s for a, b in zip(self.start, self.end, strict=True))  # type: ignore[return-value]

    def moved(self, d: Vec) -> Segment:
        return Segment(
            self.name,
            self.frame,
            _add(self.origin, d),
            _add(self.start, d),
            _add(self.end, d),
            self.semi_start,
            self.semi_end,
        )


@dataclass(frozen=True)
class Body:
    """A posed, placed body: every segment in world coordinates, and its key frame."""

    segments: Mapping[str, Segment]
    frame: KeyFrame

    def part_low(self, part: str) -> float:
        return max(self.segments[seg].low(end) for seg, end in PARTS[part])

    def part_high(self, part: str) -> float:
        return min(self.segments[seg].high(end) for seg, end in PARTS[part])

    def part_centre(self, part: str) -> Vec:
        pts = [
            self.segments[seg].point(0.5 if end is None else float(end)) for seg, end in PARTS[part]
        ]
        n = len(pts)
        return (sum(p[0] for p in pts) / n, sum(p[1] for p in pts) / n, sum(p[2] for p in pts) / n)

    def lowest(self) -> float:
        return min(s.low() for s in self.segments.values())

    def point(self, segment: str, s: float) -> Vec:
        return self.segments[segment].point(s)


def pose_segments(angles: Mapping[str, float]) -> dict[str, Segment]:
    """Forward kinematics: the segments of a body with these angles, hip centre at the origin."""
    g = angles.get
    root = _chain(_rz(-g("lean", 0.0)), _ry(-g("turn", 0.0)), _rx(g("tilt", 0.0)))
    segs: dict[str, Segment] = {}

    def add(name: str, shape: str, frame: Mat, origin: Vec) -> None:
        a, b, sa, sb = _SHAPES[shape]
        segs[name] = Segment(
            name, frame, origin, _add(origin, _mv(frame, a)), _add(origin, _mv(frame, b)), sa, sb
        )

    origin: Vec = (0.0, 0.0, 0.0)
    add("pelvis", "pelvis", root, origin)
    lum_o = _mv(root, LUMBAR_BASE)
    lum = _chain(
        root,
        _rz(-g("lumbar_flexion", 0.0)),
        _rx(g("lumbar_side_bend", 0.0)),
        _ry(-g("lumbar_rotation", 0.0)),
    )
    add("lumbar", "lumbar", lum, lum_o)
    tho_o = _add(lum_o, _mv(lum, (0.0, LUMBAR_LENGTH, 0.0)))
    tho = _chain(
        lum,
        _rz(-g("thoracic_flexion", 0.0)),
        _rx(g("thoracic_side_bend", 0.0)),
        _ry(-g("thoracic_rotation", 0.0)),
    )
    add("thorax", "thorax", tho, tho_o)
    neck_o = _add(tho_o, _mv(tho, (0.0, THORAX_LENGTH, 0.0)))
    neck = _chain(
        tho,
        _rz(-g("neck_flexion", 0.0)),
        _rx(g("neck_side_bend", 0.0)),
        _ry(-g("neck_rotation", 0.0)),
    )
    add("neck", "neck", neck, neck_o)
    add("head", "head", neck, neck_o)
    for side, sgn in (("right", 1.0), ("left", -1.0)):
        a = {j: g(f"{side}_{j}", 0.0) for j in LIMB_JOINTS}
        hip_o = _mv(root, (0.0, 0.0, sgn * HIP_HALF_WIDTH))
        thigh = _chain(
            root,
            _rz(a["hip_flexion"]),
            _rx(-sgn * a["hip_abduction"]),
            _ry(-sgn * a["hip_rotation"]),
        )
        add(f"{side}_thigh", "thigh", thigh, hip_o)
        knee_o = _add(hip_o, _mv(thigh, (0.0, -THIGH, 0.0)))
        shank = _mm(thigh, _rz(-a["knee_flexion"]))
        add(f"{side}_shank", "shank", shank, knee_o)
        ankle_o = _add(knee_o, _mv(shank, (0.0, -SHANK, 0.0)))
        foot = _mm(shank, _rz(a["ankle_dorsiflexion"]))
        add(f"{side}_foot", "foot", foot, ankle_o)
        sh = SHOULDER
        sh_o = _add(tho_o, _mv(tho, (sh[0], sh[1], sgn * sh[2])))
        upper = _chain(
            tho,
            _rz(a["shoulder_flexion"]),
            _rx(-sgn * a["shoulder_abduction"]),
            _ry(-sgn * a["shoulder_rotation"]),
        )
        add(f"{side}_upper_arm", "upper_arm", upper, sh_o)
        elbow_o = _add(sh_o, _mv(upper, (0.0, -UPPER_ARM, 0.0)))
        fore = _mm(upper, _rz(a["elbow_flexion"]))
        add(f"{side}_forearm", "forearm", fore, elbow_o)
        wrist_o = _add(elbow_o, _mv(fore, (0.0, -FOREARM, 0.0)))
        hand = _mm(fore, _rz(a["wrist_extension"]))
        add(f"{side}_hand", "hand", hand, wrist_o)
    return segs


def surface_height(surface: str) -> float:
    return SURFACES[surface][1]


def place(ep: ExercisePoses, frame: KeyFrame) -> Body:
    """Pose ``frame`` and put it where it belongs: resting parts on their surfaces, the anchor
    part at x = 0, and nothing sunk into the floor or mat."""
    segs = pose_segments(frame.angles)
    body = Body(segs, frame)
    lifts = []
    for part, surface in frame.rests_on.items():
        if surface == "water":
            lifts.append(surface_height(surface) - body.part_high(part))
        else:
            lifts.append(surface_height(surface) - body.part_low(part))
    ground = ep.ground
    if ground is not None:
        lifts.append(surface_height(ground) - body.lowest())
    dy = max(lifts) if lifts else 0.0
    ax = body.part_centre(ep.anchor)[0]
    d: Vec = (-ax, dy, 0.0)
    return Body(MappingProxyType({k: s.moved(d) for k, s in segs.items()}), frame)


def contact_problems(
    ep: ExercisePoses, frame: KeyFrame, tol: float = CONTACT_TOLERANCE
) -> list[str]:
    """What is wrong with where a key frame's body rests: parts that should touch a surface
    but float above it (or sink into it) by more than ``tol`` cm."""
    body = place(ep, frame)
    problems = []
    for part, surface in frame.rests_on.items():
        h = surface_height(surface)
        if surface == "water":
            gap = h - body.part_high(part)
            if abs(gap) > tol:
                problems.append(f"{part} should reach the water surface but is {gap:.0f} cm off it")
            continue
        gap = body.part_low(part) - h
        if abs(gap) > tol:
            where = "above" if gap > 0 else "below"
            problems.append(
                f"{part} should rest on the {surface} but is {abs(gap):.0f} cm {where} it; "
                "adjust the joint angles of this frame"
            )
    return problems
