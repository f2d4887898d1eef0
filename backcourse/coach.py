"""The camera coach's settings (course_data/coach.yaml) and its files in the package.

The coach itself runs in the browser (``widgets/static/coach.js``): MediaPipe's pose
landmarker reads the learner's camera on their own device, and only counts and cue
numbers come back to the kernel. This module checks coach.yaml against the course (every
cue must point to one of that exercise's own ``mistakes``), decides which exercises the
coach counts (those whose measured accuracy reaches ``enable_at``), and finds the runtime,
wasm and model files that ``make coach`` builds into ``widgets/static/coach/``.

In the browser-only site (``make lite``) those files are not in the package: the site keeps
them beside the course's wheel, and the wheel carries a small manifest (``site.json``:
their folder in the site and each file's sha256), so the page fetches them from its own
site only when the learner switches the coach on, and checks them before starting them.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .errors import CourseDataError
from .model import Course

COACH_FILE = "coach.yaml"
ASSETS = Path(__file__).parent / "widgets" / "static" / "coach"
# The files the browser needs, in the order it uses them (built by coach/build.py).
ASSET_NAMES = (
    "vision_bundle.mjs",
    "vision_wasm_internal.js",
    "vision_wasm_internal.wasm",
    "pose_landmarker_lite.task",
)
# Written into the site's wheel by site/build_lite.py; never in the source tree.
SITE_MANIFEST = "site.json"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MEASURES = ("hip_height", "hip_lift")
CHECKS: Mapping[str, tuple[str, ...]] = {
    "knees_in": ("ratio", "min_width"),
    "heels_up": ("ratio",),
    "hips_high": ("ratio",),
}
WORDS = (
    "switch", "explain", "https", "loading", "ready", "failed", "cannot_see", "unavailable",
    "counted", "site_missing", "site_changed",
    "held", "not_seen", "overlay", "video_label", "log", "log_reps", "log_holds",
)  # fmt: skip
NUMBERS = ("enter", "leave", "smooth", "hold_slack_s", "hold_band", "min_rep_s")


def assets_ready(folder: Path | None = None) -> bool:
    """True when ``make coach`` has put every runtime and model file in the package."""
    where = ASSETS if folder is None else folder  # read at call time: tests move it
    return all((where / name).is_file() for name in ASSET_NAMES)


def site_copy(folder: Path | None = None) -> dict[str, Any] | None:
    """Where the browser-only site keeps the coach's files, or None (not that site, or a
    site built without them).

    Returns ``{"folder": "coach/", "sha256": {name: hex}}``: the folder relative to the
    site's root, and the sum of each file the page fetches (coach.js and ``ASSET_NAMES``).
    A manifest that does not say that safely (another host, a missing file, a bad sum) is
    treated as no coach: the timer guides, as without the files.
    """
    path = (ASSETS if folder is None else folder) / SITE_MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    where = data.get("folder") if isinstance(data, dict) else None
    sums = data.get("sha256") if isinstance(data, dict) else None
    if not isinstance(where, str) or not isinstance(sums, dict):
        return None
    # a plain relative folder: never a URL, an absolute path or a step out of the site
    if not re.fullmatch(r"(?:[\w.-]+/)+", where) or ".." in where.split("/"):
        return None
    needed = {"coach.js", *ASSET_NAMES}
    if set(sums) != needed or not all(
        isinstance(v, str) and SHA256.match(v) for v in sums.values()
    ):
        return None
    return {"folder": where, "sha256": {n: sums[n] for n in ("coach.js", *ASSET_NAMES)}}


def coach_settings(course: Course) -> Mapping[str, Any]:
    """coach.yaml, checked against the course.

    Raises
    ------
    CourseDataError
        A field is missing or wrong, naming the file, the exercise and the field.
    """
    path = Path(course.root) / COACH_FILE
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    return _load(str(path), stamp, id(course), _course_mistakes(course))


def _course_mistakes(course: Course) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((ex.id, tuple(ex.mistakes)) for ex in course.exercises.values())


@cache
def _load(
    path: str, _stamp: int, _course: int, mistakes: tuple[tuple[str, tuple[str, ...]], ...]
) -> Mapping[str, Any]:
    from .catalog import read_yaml

    data = read_yaml(Path(path))
    if not isinstance(data, dict):
        raise CourseDataError(COACH_FILE, None, None, "expected a mapping")
    enable = data.get("enable_at")
    if not isinstance(enable, (int, float)) or not 0 < enable <= 1:
        raise CourseDataError(COACH_FILE, None, "enable_at", "expected a share from 0 to 1")
    words = data.get("words")
    if not isinstance(words, dict):
        raise CourseDataError(COACH_FILE, "words", None, "section is missing")
    for key in WORDS:
        if not isinstance(words.get(key), str):
            raise CourseDataError(COACH_FILE, "words", key, "expected text")
        try:
            list(string.Formatter().parse(words[key]))
        except ValueError as exc:
            raise CourseDataError(COACH_FILE, "words", key, f"bad {{placeholder}}: {exc}") from None
    known = dict(mistakes)
    exercises = data.get("exercises")
    if not isinstance(exercises, dict):
        raise CourseDataError(COACH_FILE, "exercises", None, "section is missing")
    checked = {}
    for ex_id, cfg in exercises.items():
        if ex_id not in known:
            raise CourseDataError(COACH_FILE, ex_id, None, "no exercise with this id")
        checked[ex_id] = _exercise(ex_id, cfg, known[ex_id])
    return {"enable_at": float(enable), "words": dict(words), "exercises": checked}


def _exercise(ex_id: str, cfg: Any, mistakes: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(cfg, dict):
        raise CourseDataError(COACH_FILE, ex_id, None, "expected a mapping of settings")
    if cfg.get("measure") not in MEASURES:
        raise CourseDataError(COACH_FILE, ex_id, "measure", f"expected one of {MEASURES}")
    if cfg.get("active") not in ("low", "high"):
        raise CourseDataError(COACH_FILE, ex_id, "active", "expected low or high")
    for key in NUMBERS:
        if not isinstance(cfg.get(key), (int, float)) or isinstance(cfg.get(key), bool):
            raise CourseDataError(COACH_FILE, ex_id, key, "expected a number")
    low = cfg["active"] == "low"
    if (cfg["enter"] >= cfg["leave"]) if low else (cfg["enter"] <= cfg["leave"]):
        raise CourseDataError(
            COACH_FILE, ex_id, "enter", "must lie beyond leave, on the end position's side"
        )
    if not 0 < cfg["smooth"] <= 1:
        raise CourseDataError(COACH_FILE, ex_id, "smooth", "expected a share from 0 to 1")
    cues = []
    for k, cue in enumerate(cfg.get("cues") or []):
        field = f"cues[{k}]"
        check = cue.get("check") if isinstance(cue, dict) else None
        if check not in CHECKS:
            raise CourseDataError(
                COACH_FILE, ex_id, field, f"check: expected one of {list(CHECKS)}"
            )
        for key in (*CHECKS[check], "frames"):
            if not isinstance(cue.get(key), (int, float)):
                raise CourseDataError(COACH_FILE, ex_id, f"{field}.{key}", "expected a number")
        start = str(cue.get("mistake", ""))
        match = [m for m in mistakes if start and m.startswith(start)]
        if len(match) != 1:
            raise CourseDataError(
                COACH_FILE,
                ex_id,
                f"{field}.mistake",
                f"{start!r} must start exactly one of the exercise's mistakes",
            )
        cues.append({**cue, "mistake": match[0]})
    acc = cfg.get("accuracy")
    if not isinstance(acc, dict) or not all(
        isinstance(acc.get(k), (int, float)) for k in ("reps", "clips", "holds")
    ):
        raise CourseDataError(COACH_FILE, ex_id, "accuracy", "expected reps, clips and holds")
    return {**cfg, "cues": cues, "accuracy": dict(acc)}


def coached(course: Course) -> dict[str, dict[str, Any]]:
    """The exercises the coach counts: those measured at ``enable_at`` or better."""
    s = coach_settings(course)
    return {k: v for k, v in s["exercises"].items() if v["accuracy"]["reps"] >= s["enable_at"]}


def player_settings(course: Course, exercise_ids: Iterable[str]) -> dict[str, Any]:
    """What the player's page needs: the words, and how to count each of these exercises
    that the coach can see (the others get "use the timer"), and where its files come
    from: the kernel (``ready``, ``site`` None) or the browser-only site (``site``)."""
    s = coach_settings(course)
    can = coached(course)
    ready = assets_ready()
    # the browser-only site: the page fetches the files from the site itself
    site = None if ready else site_copy()
    return {
        "words": s["words"],
        "exercises": {i: can[i] for i in exercise_ids if i in can},
        "ready": ready or site is not None,
        "site": site,
    }


def log_note(course: Course, summary: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """One sentence for the log from the page's summary ``{exercise_id: {reps, holds,
    kept}}`` (``holds`` and ``kept`` count the hold steps the coach timed)."""
    w = coach_settings(course)["words"]
    parts = []
    for ex_id, got in summary.items():
        name = names.get(ex_id, ex_id)
        if got.get("reps"):
            parts.append(w["log_reps"].format(exercise=name, reps=int(got["reps"])))
        if got.get("holds"):
            parts.append(
                w["log_holds"].format(exercise=name, kept=int(got["kept"]), holds=int(got["holds"]))
            )
    return w["log"].format(parts="; ".join(parts)) if parts else ""
