"""The body model the exercise pictures use: its joints, segments, body parts, props, views,
and the frozen dataclasses a parsed ``poses.yaml`` becomes.

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

Standard library only: loading the course needs it, drawing does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

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
