"""Labelled test clips for the camera coach: drawn people moved through known reps and holds.

No photograph is used: each frame is a drawn person (head, trunk, limbs as shaded
capsules) posed from a small 3-D skeleton and seen from the side or the front, so every
clip's true count and hold times are known exactly and the pictures carry no one's licence
or likeness. "People" differ in height, build, skin, hair and clothes, and in where they
stand. MediaPipe's pose model finds these figures (checked in tests/test_browser_coach.py
and measured by coach/accuracy.py).

A clip is written as a Y4M file (raw I420 frames), the format Chromium's fake camera
reads (``--use-file-for-fake-video-capture``); Chromium plays it in a loop.

    python coach/clips.py OUT_DIR      # the labelled set, with labels.json
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

W, H, FPS = 320, 240, 15
Vec = tuple[float, float, float]


@dataclass(frozen=True)
class Person:
    name: str
    height: float = 1.0  # scale of every segment
    build: float = 1.0  # scale of limb and trunk widths
    skin: tuple[int, int, int] = (224, 172, 140)
    hair: tuple[int, int, int] = (60, 40, 25)
    top: tuple[int, int, int] = (40, 90, 160)
    legs: tuple[int, int, int] = (50, 50, 60)
    background: tuple[int, int, int] = (205, 200, 190)
    x: float = 0.5  # where the feet are, across the picture (0-1)


PEOPLE = (
    Person("ana"),
    Person(
        "ben",
        1.08,
        1.2,
        (141, 85, 54),
        (20, 20, 20),
        (170, 40, 40),
        (40, 60, 90),
        (220, 220, 215),
        0.45,
    ),
    Person(
        "chloe",
        0.92,
        0.9,
        (255, 219, 180),
        (150, 90, 40),
        (60, 140, 80),
        (30, 30, 30),
        (190, 200, 210),
        0.55,
    ),
    Person(
        "dev",
        1.0,
        1.05,
        (110, 70, 50),
        (15, 15, 15),
        (230, 200, 60),
        (90, 90, 100),
        (200, 190, 175),
        0.5,
    ),
)

# Segment lengths (metres, before ``Person.height``).
SHIN, THIGH, TRUNK, NECK, HEAD, UPPER_ARM, FOREARM, FOOT = (
    0.43,
    0.45,
    0.52,
    0.1,
    0.12,
    0.3,
    0.27,
    0.2,
)
HIP_W, SHOULDER_W = 0.1, 0.18


def _rot(v: Vec, yaw: float) -> tuple[float, float, float]:
    """Screen x, screen y, depth of a point seen from ``yaw`` (0 = side, 90 = front)."""
    a = math.radians(yaw)
    x, y, z = v
    return x * math.cos(a) + z * math.sin(a), y, -x * math.sin(a) + z * math.cos(a)


def _add(a: Vec, b: Vec, k: float = 1.0) -> Vec:
    return (a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2])


def _dir(deg: float) -> Vec:
    """A unit vector in the sagittal plane, ``deg`` from straight up, forwards positive."""
    r = math.radians(deg)
    return (math.sin(r), math.cos(r), 0.0)


def squat(flex: float, cave: float = 0.0, heel: float = 0.0) -> dict[str, Vec]:
    """A standing squat with the knees bent ``flex`` degrees; ``cave`` moves the knees
    inwards (0-1), ``heel`` lifts the heels (metres)."""
    shin_a = 0.45 * flex
    thigh_a = shin_a - flex
    trunk_a = 0.4 * flex
    j: dict[str, Vec] = {}
    for side, s in (("l", -1), ("r", 1)):
        ankle = (0.0, 0.06 + heel, s * HIP_W * 1.2)
        knee = _add(ankle, _dir(shin_a), SHIN)
        knee = (knee[0], knee[1], s * HIP_W * (1.2 + 0.5 * flex / 90 - 1.6 * cave))
        hip = _add(knee, _dir(thigh_a), THIGH)
        hip = (hip[0], hip[1], s * HIP_W)
        j |= {
            f"ankle_{side}": ankle,
            f"knee_{side}": knee,
            f"hip_{side}": hip,
            f"toe_{side}": (FOOT * 0.8, 0.02, ankle[2] * 1.1),
            f"heel_{side}": (-0.05, 0.03 + heel, ankle[2]),
        }
    pelvis = _add(j["hip_l"], j["hip_r"], 1.0)
    pelvis = (pelvis[0] / 2, pelvis[1] / 2, 0.0)
    neck = _add(pelvis, _dir(trunk_a), TRUNK)
    j["neck"] = neck
    j["head"] = _add(neck, _dir(trunk_a * 0.6), NECK + HEAD)
    arm_a = 180 - min(90.0, 1.1 * flex)  # arms reach forwards for balance as you go down
    for side, s in (("l", -1), ("r", 1)):
        sh = (neck[0], neck[1] - 0.03, s * SHOULDER_W)
        el = _add(sh, _dir(arm_a), UPPER_ARM)
        j |= {
            f"shoulder_{side}": sh,
            f"elbow_{side}": el,
            f"hand_{side}": _add(el, _dir(arm_a - 10), FOREARM),
        }
    return j


def bridge(lift: float) -> dict[str, Vec]:
    """Lying on the back, knees bent, feet flat; ``lift`` from 0 (hips down) to 1 (a
    straight line from shoulders to knees)."""
    j: dict[str, Vec] = {}
    r = 0.08  # the body's half-thickness: joints sit this far above the floor
    full = math.degrees(math.atan2(0.0, 1.0))
    for side, s in (("l", -1), ("r", 1)):
        sh = (0.0, r, s * SHOULDER_W)
        ankle = (TRUNK + THIGH * 0.75 + SHIN * 0.55, r * 0.8, s * HIP_W * 1.2)
        # trunk angle up from the floor: 0 lying, up to where shoulder-hip-knee line up
        tilt = math.radians(8 + 24 * lift) + math.radians(full)
        hip = (sh[0] + TRUNK * math.cos(tilt), r + TRUNK * math.sin(tilt), s * HIP_W)
        # the knee: where the thigh (from the hip) meets the shin (from the ankle), upper one
        dx, dy = ankle[0] - hip[0], ankle[1] - hip[1]
        d = math.hypot(dx, dy)
        a = (THIGH**2 - SHIN**2 + d**2) / (2 * d)
        h = math.sqrt(max(THIGH**2 - a**2, 0.0))
        mx, my = hip[0] + a * dx / d, hip[1] + a * dy / d
        knee = (mx - h * dy / d, my + h * dx / d, s * HIP_W * 1.2)
        if knee[1] < hip[1]:
            knee = (mx + h * dy / d, my - h * dx / d, knee[2])
        el = (sh[0] + UPPER_ARM, r * 0.7, s * (SHOULDER_W + 0.05))
        j |= {
            f"shoulder_{side}": sh,
            f"hip_{side}": hip,
            f"knee_{side}": knee,
            f"ankle_{side}": ankle,
            f"elbow_{side}": el,
            f"hand_{side}": (el[0] + FOREARM, r * 0.6, el[2]),
            f"toe_{side}": (ankle[0] + FOOT * 0.8, 0.02, ankle[2]),
            f"heel_{side}": (ankle[0] - 0.04, 0.03, ankle[2]),
        }
    j["neck"] = (-0.02, r, 0.0)
    j["head"] = (-(NECK + HEAD), r + 0.02, 0.0)
    return j


# limbs drawn as capsules: (from, to, width in metres, colour part)
LIMBS = [
    ("heel", "toe", 0.07, "shoe"),
    ("ankle", "knee", 0.12, "legs"),
    ("knee", "hip", 0.16, "legs"),
    ("shoulder", "elbow", 0.09, "top"),
    ("elbow", "hand", 0.075, "skin"),
]


def draw(joints: dict[str, Vec], p: Person, yaw: float, lying: bool = False) -> Image.Image:
    """One frame: the person's joints seen from ``yaw`` degrees, on a plain wall and floor."""
    img = Image.new("RGB", (W, H), p.background)
    d = ImageDraw.Draw(img)
    floor = H * 0.86
    d.rectangle([0, int(floor), W, H], fill=tuple(int(c * 0.72) for c in p.background))
    span = 1.9 if lying else 2.25  # metres of scene across the picture height
    px = H / span * p.height

    def at(v: Vec) -> tuple[float, float, float]:
        sx, sy, depth = _rot(v, yaw)
        cx = W * p.x - (0.55 * px if lying else 0)
        return cx + sx * px, floor - sy * px, depth

    colours = {"legs": p.legs, "top": p.top, "skin": p.skin, "shoe": (35, 35, 35)}
    parts: list[tuple[float, Callable[[], None]]] = []

    def capsule(a: Vec, b: Vec, width: float, colour: tuple[int, int, int]) -> None:
        (ax, ay, da), (bx, by, db) = at(a), at(b)
        w = width * px * p.build

        def paint() -> None:
            d.line([(ax, ay), (bx, by)], fill=colour, width=max(2, int(w)))
            for x, y in ((ax, ay), (bx, by)):
                d.ellipse([x - w / 2, y - w / 2, x + w / 2, y + w / 2], fill=colour)

        parts.append(((da + db) / 2, paint))

    for side in ("l", "r"):
        for a, b, width, part in LIMBS:
            capsule(joints[f"{a}_{side}"], joints[f"{b}_{side}"], width, colours[part])
    pelvis = tuple((joints["hip_l"][i] + joints["hip_r"][i]) / 2 for i in range(3))
    # the trunk: pelvis to neck, as wide as the shoulders seen from this side
    trunk_w = 0.2 + 0.16 * abs(math.sin(math.radians(yaw)))
    capsule(pelvis, joints["neck"], trunk_w, p.top)  # type: ignore[arg-type]
    # the far side first, so the near limbs cover it
    for _, paint in sorted(parts, key=lambda t: -t[0]):
        paint()
    hx, hy, _ = at(joints["head"])
    nx, ny, _ = at(joints["neck"])
    r = HEAD * px * 0.95
    d.line([(nx, ny), (hx, hy)], fill=p.skin, width=max(2, int(r * 0.8)))
    d.ellipse([hx - r * 0.85, hy - r, hx + r * 0.85, hy + r], fill=p.skin)
    facing = math.cos(math.radians(yaw))  # 1: facing right (side view), 0: facing us
    ang = math.atan2(hy - ny, hx - nx)  # the head's direction on screen
    ux, uy = math.cos(ang), math.sin(ang)  # up the head, on screen
    if facing > 0.5:  # profile: hair on the back and top, one eye towards the front
        d.pieslice(
            [hx - r * 0.9, hy - r * 1.05, hx + r * 0.9, hy + r * 0.95],
            math.degrees(ang) + 120,
            math.degrees(ang) + 300,
            fill=p.hair,
        )
        eyes = [(hx + (-uy) * r * 0.45 + ux * r * 0.15, hy + ux * r * 0.45 + uy * r * 0.15)]
    else:  # from the front: a fringe on top, two eyes
        d.chord([hx - r * 0.9, hy - r * 1.1, hx + r * 0.9, hy + r * 0.2], 180, 360, fill=p.hair)
        eyes = [(hx + k * r * 0.35, hy + r * 0.1) for k in (-1, 1)]
    for ex, ey in eyes:
        d.ellipse([ex - r * 0.1, ey - r * 0.1, ex + r * 0.1, ey + r * 0.1], fill=(30, 25, 25))
    return img.filter(ImageFilter.GaussianBlur(0.8))


# ------------------------------------------------------------------ movements over time


@dataclass(frozen=True)
class Clip:
    """A labelled clip: what it shows and its true counts."""

    name: str
    exercise: str
    person: str
    view: str  # side | front
    seconds: float
    reps: int  # whole repetitions in one play of the clip
    holds: tuple[float, ...]  # seconds of each hold in one play
    period: float  # seconds per repetition (reps) or per hold cycle
    fault: str = ""  # a form fault shown throughout ("knees_in", ...), else ""


def _ease(u: float) -> float:
    """0 -> 1 -> 0 over one repetition, smoothly."""
    return 0.5 - 0.5 * math.cos(2 * math.pi * u)


def squat_clip(
    p: Person,
    view: str,
    reps: int = 4,
    period: float = 2.4,
    depth: float = 95,
    lead: float = 1.0,
    fault: str = "",
) -> tuple[Clip, Callable[[float], Image.Image]]:
    seconds = lead * 2 + reps * period
    yaw = 0.0 if view == "side" else 90.0

    def frame(t: float) -> Image.Image:
        u = (t - lead) / period
        flex = depth * _ease(u) if 0 <= u < reps else 0.0
        cave = (flex / depth) * 0.9 if fault == "knees_in" else 0.0
        heel = (flex / depth) * 0.06 if fault == "heels_up" else 0.0
        return draw(squat(flex, cave, heel), p, yaw)

    clip = Clip(
        f"squat-{view}-{p.name}{'-' + fault if fault else ''}",
        "squat",
        p.name,
        view,
        seconds,
        reps,
        (),
        period,
        fault,
    )
    return clip, frame


def bridge_clip(
    p: Person, holds: tuple[float, ...] = (4.0, 6.0), up: float = 1.0, rest: float = 2.0
) -> tuple[Clip, Callable[[float], Image.Image]]:
    cycles = [(up, h, up, rest) for h in holds]
    seconds = rest + sum(sum(c) for c in cycles)

    def frame(t: float) -> Image.Image:
        t -= rest
        lift = 0.0
        for rise, hold, fall, pause in cycles:
            if t < 0:
                break
            if t < rise:
                lift = t / rise
            elif t < rise + hold:
                lift = 1.0
            elif t < rise + hold + fall:
                lift = 1 - (t - rise - hold) / fall
            t -= rise + hold + fall + pause
        return draw(bridge(lift), p, 0.0, lying=True)

    clip = Clip(
        f"bridge-side-{p.name}",
        "glute_bridge",
        p.name,
        "side",
        seconds,
        len(holds),
        holds,
        seconds / len(holds),
    )
    return clip, frame


def frames(make: Callable[[float], Image.Image], seconds: float) -> Iterator[Image.Image]:
    for k in range(round(seconds * FPS)):
        yield make(k / FPS)


def write_y4m(path: Path, images: Iterator[Image.Image]) -> int:
    """Write frames as Y4M (I420, BT.601), the format Chromium's fake camera reads."""
    n = 0
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{W} H{H} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for img in images:
            ycc = np.asarray(img.convert("YCbCr"))
            y = ycc[:, :, 0]
            cb = ycc[:, :, 1].reshape(H // 2, 2, W // 2, 2).mean(axis=(1, 3)).astype(np.uint8)
            cr = ycc[:, :, 2].reshape(H // 2, 2, W // 2, 2).mean(axis=(1, 3)).astype(np.uint8)
            f.write(b"FRAME\n" + y.tobytes() + cb.tobytes() + cr.tobytes())
            n += 1
    return n


def labelled_set() -> list[tuple[Clip, Callable[[float], Image.Image]]]:
    """The accuracy set: every person, squats from the side and the front, and bridges."""
    out = []
    for i, p in enumerate(PEOPLE):
        out.append(squat_clip(p, "side", reps=3 + i % 3, period=2.2 + 0.3 * (i % 3)))
        out.append(squat_clip(p, "front", reps=4 - i % 2, period=2.6, depth=90))
        out.append(bridge_clip(p, holds=(3.0 + i, 5.0)))
    # form faults the coach should point out, each on two people
    for p in PEOPLE[:2]:
        out.append(squat_clip(p, "front", reps=3, period=2.6, depth=90, fault="knees_in"))
        out.append(squat_clip(p, "side", reps=3, period=2.4, fault="heels_up"))
    return out


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    labels = []
    for clip, make in labelled_set():
        write_y4m(out / f"{clip.name}.y4m", frames(make, clip.seconds))
        labels.append(asdict(clip))
    (out / "labels.json").write_text(json.dumps(labels, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
