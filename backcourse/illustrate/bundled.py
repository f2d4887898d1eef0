"""Exercise pictures drawn ahead of time and shipped with the package, so none waits.

Drawing an exercise's start-and-end picture takes about a tenth of a second; a new routine
of eight would keep the learner waiting a second, and the session player's first exercise
(its movement as a loop of small frames, with matplotlib to load first) about as long.
``make pictures`` (``python -m backcourse.illustrate.bundled``) draws every bundled exercise
once into ``pictures/`` here (the loop's frames into ``pictures/frames/``) with an
``index.json`` that records, per exercise, the picture's alt text and a fingerprint of
everything the picture is drawn from: the exercise's name and target muscles, those
muscles' names and groups, its poses (poses.yaml), the resolution, and the source of the
drawing code. :func:`picture` and :func:`frames` hand out shipped files only when the
fingerprint still matches, so an edited exercise, a trainer's own course or a changed
drawing is drawn fresh, never shown stale.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..model import Course, Exercise

FOLDER = Path(__file__).resolve().parent / "pictures"
INDEX = "index.json"
# The resolution of the exercise pictures in handouts and in the routine builder: about
# 190 dpi when printed. The pictures own it, so shipping them needs nothing from the export.
PICTURE_DPI = 80
# Colours in a picture's palette: the drawings are flat, and 64 look the same as millions at a
# quarter of the bytes (figures.style.to_png). Every page that shows a picture carries it.
PICTURE_COLOURS = 64
# The session player's loop of the movement: this many small frames at this resolution.
FRAME_STEPS = 6
FRAME_DPI = 60
FRAMES = "frames"  # their folder inside the pictures' folder
# The code a picture is drawn by (paths under backcourse/): a change to any of these changes
# every fingerprint.
_CODE = (
    "figures/style.py",
    "illustrate/body.py",
    "illustrate/body_model.py",
    "illustrate/colours.py",
    "illustrate/exercise_pictures.py",
    "illustrate/kinematics.py",
    "illustrate/poses.py",
    "illustrate/projection.py",
    "illustrate/scene.py",
)


def _canon(value: Any) -> Any:
    """A JSON-able form of course objects that does not depend on hash order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canon(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, Mapping):
        return {str(k): _canon(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (set, frozenset)):
        return sorted((_canon(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return repr(value)


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for name in _CODE:
        h.update((root / name).read_bytes())
    return h.hexdigest()


def fingerprint(exercise: Exercise, course: Course, dpi: int) -> str:
    """A digest of everything the exercise's picture is drawn from."""
    muscles = {
        m: _canon((course.muscles[m].name, course.muscles[m].group))
        for m in exercise.muscles
        if m in course.muscles
    }
    inputs = {
        "id": exercise.id,
        "name": exercise.name,
        "muscles": list(exercise.muscles),
        "muscle_names": muscles,
        "poses": _canon(course.poses.get(exercise.id) if course.poses else None),
        "dpi": int(dpi),
        "colours": PICTURE_COLOURS,
        "code": _code_digest(),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


@functools.lru_cache(maxsize=4)
def _index(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def picture(
    exercise: Exercise, course: Course, dpi: int, folder: Path = FOLDER
) -> tuple[bytes, str] | None:
    """The shipped (PNG, alt text) of the exercise, or None when there is none that is
    current (then the caller draws it)."""
    entry = _index(folder).get(exercise.id)
    if not entry or entry.get("dpi") != int(dpi):
        return None
    if entry.get("fingerprint") != fingerprint(exercise, course, dpi):
        return None
    try:
        return (folder / entry["file"]).read_bytes(), str(entry["alt"])
    except OSError:
        return None


def frames_fingerprint(exercise: Exercise, course: Course) -> str:
    """A digest of everything the exercise's loop frames are drawn from."""
    base = fingerprint(exercise, course, FRAME_DPI)
    return hashlib.sha256(f"{base} frames {FRAME_STEPS}".encode()).hexdigest()


def frames(exercise: Exercise, course: Course, folder: Path = FOLDER) -> list[bytes] | None:
    """The shipped loop frames (PNG) of the exercise's movement, or None when there are
    none that are current (then the caller draws them)."""
    entry = _index(folder).get(exercise.id)
    if not entry or entry.get("frames_fingerprint") != frames_fingerprint(exercise, course):
        return None
    try:
        return [(folder / FRAMES / name).read_bytes() for name in entry["frames"]]
    except (OSError, KeyError, TypeError):
        return None


def draw_frames(exercise: Exercise, course: Course) -> list[bytes]:
    """The exercise's loop frames drawn now, as ``make pictures`` ships them (for an exercise
    :func:`frames` has none current for). Loads matplotlib."""
    from . import exercise_pictures

    return exercise_pictures.loop_frames(
        exercise, course, steps=FRAME_STEPS, dpi=FRAME_DPI, colours=PICTURE_COLOURS
    )


def write(course: Course, dpi: int, folder: Path = FOLDER) -> dict[str, Any]:
    """Draw every exercise of ``course`` into ``folder``; return the index written."""
    from ..figures import style
    from . import exercise_pictures

    (folder / FRAMES).mkdir(parents=True, exist_ok=True)
    index: dict[str, Any] = {}
    kept: set[str] = set()
    for ex in course.exercises.values():
        fig = exercise_pictures.exercise_figure(ex, course)
        name = f"{ex.id}.png"
        (folder / name).write_bytes(style.to_png(fig, dpi=dpi, colours=PICTURE_COLOURS))
        loop = draw_frames(ex, course)
        names = [f"{ex.id}-{k}.png" for k in range(len(loop))]
        for frame_name, png in zip(names, loop, strict=True):
            (folder / FRAMES / frame_name).write_bytes(png)
        kept.update(names)
        index[ex.id] = {
            "file": name,
            "dpi": int(dpi),
            "alt": str(getattr(fig, "alt_text", "") or ex.name),
            "fingerprint": fingerprint(ex, course, dpi),
            "frames": names,
            "frames_fingerprint": frames_fingerprint(ex, course),
        }
    for old in folder.glob("*.png"):
        if old.stem not in index:
            old.unlink()
    for old in (folder / FRAMES).glob("*.png"):
        if old.name not in kept:
            old.unlink()
    (folder / INDEX).write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    _index.cache_clear()
    return index


def main() -> int:
    from ..catalog import load_course

    index = write(load_course(), PICTURE_DPI)
    count = sum(len(e["frames"]) for e in index.values())
    print(f"{len(index)} exercise pictures and {count} loop frames written to {FOLDER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
