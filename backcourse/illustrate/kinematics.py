"""Forward kinematics of the body model: joint angles to segments in space, placed on the floor.

:func:`pose_segments` turns a key frame's angles into body segments (rounded, tapering
solids) with the hip centre at the origin; :func:`place` puts the body where it belongs
(resting parts on their surfaces, the anchor part in place); :func:`contact_problems` says
which resting parts do not really touch. Standard library only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .body_model import LIMB_JOINTS, PARTS, SURFACES, ExercisePoses, KeyFrame

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]  # rows

# How far (cm) a resting part may be from its surface, and how far anything may sink in.
CONTACT_TOLERANCE = 3.0

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
