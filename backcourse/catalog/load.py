"""Load course_data/*.yaml into one validated, cross-checked, immutable ``Course``, cached.

Files are read in dependency order (sources, guidelines, muscles, exercises, ...); each entry
becomes its model dataclass through ``schema.build`` and ``cross`` checks what spans fields
or files. Every problem raises ``CourseDataError`` naming the file, the entry id and the
field, and saying what was expected, so a trainer editing a copy of the data can fix it.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import CourseDataError
from ..illustrate import poses as posedata
from ..model import (
    POSITIONS,
    RED_FLAG_TIERS,
    Course,
    Exercise,
    Fact,
    Guidelines,
    Muscle,
    Quiz,
    RedFlag,
    Source,
    frozen_map,
)
from . import cross
from .safe_yaml import read_yaml
from .schema import ID_PATTERN, Entry, build, entries

FILES = (
    "sources.yaml",
    "muscles.yaml",
    "exercises.yaml",
    "poses.yaml",
    "red_flags.yaml",
    "facts.yaml",
    "quizzes.yaml",
    "guidelines.yaml",
    "advice.yaml",
)


def default_data_dir() -> Path:
    """The bundled course_data/ (or $BACKCOURSE_DATA, for a trainer's own copy).

    An installed wheel carries the data inside the package (``backcourse/course_data``); a
    checkout keeps it beside the package, at the top of the repository.
    """
    env = os.environ.get("BACKCOURSE_DATA")
    if env:
        return Path(env)
    package = Path(__file__).resolve().parent.parent
    installed = package / "course_data"
    return installed if installed.is_dir() else package.parent / "course_data"


def load_course(path: str | os.PathLike[str] | None = None) -> Course:
    """Load, validate and cross-check the course data in ``path`` (default: the bundled data).

    Parameters
    ----------
    path
        A folder holding the course_data YAML files, e.g. a trainer's edited copy.

    Returns
    -------
    Course
        Immutable; the same files give an equal Course. Results are cached until a file
        changes, so widgets can call this freely.

    Raises
    ------
    CourseDataError
        Naming the file, the entry id and the field of the first problem found.

    >>> course = load_course()
    >>> course.exercises["plank"].category
    'strength'
    >>> load_course() is course  # cached until a file changes
    True
    """
    root = Path(path) if path is not None else default_data_dir()
    if not root.is_dir():
        raise CourseDataError(str(root), None, None, "expected a folder of course data YAML files")
    stamp = tuple(_stamp(root / name) for name in FILES)
    return _load_cached(str(root.resolve()), stamp)


def _stamp(p: Path) -> tuple[int, int]:
    try:
        st = p.stat()
    except OSError:
        return (-1, -1)
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _load_cached(root: str, stamp: tuple[tuple[int, int], ...]) -> Course:
    return _load(Path(root))


def _load(root: Path) -> Course:
    def raw(name: str) -> Any:
        return read_yaml(root / name)

    known: dict[str, Collection[str]] = {"position": POSITIONS}
    sources = _sources(raw("sources.yaml"), known)
    known["source"] = set(sources)
    guidelines_raw = raw("guidelines.yaml")
    # Muscles are checked against guidelines' muscle groups, and guidelines' coverage
    # against the muscles: the labels are read first, the rest of guidelines.yaml after.
    if not isinstance(guidelines_raw, Mapping):
        raise CourseDataError("guidelines.yaml", None, None, "expected a mapping of sections")
    g = Entry("guidelines.yaml", "guidelines", guidelines_raw)
    labels = cross.labels(g)
    known.update({f"{vocab}": tuple(words) for vocab, words in labels.items()})
    muscles = _entries(Muscle, "muscles.yaml", raw("muscles.yaml"), known)
    known["muscle"] = set(muscles)
    guidelines = cross.guidelines(g, known)
    known["equipment"] = set(guidelines.labels["equipment"])
    exercises = _exercises(raw("exercises.yaml"), known, guidelines)
    known["exercise"] = set(exercises)
    cross.warm_up_exists(guidelines, exercises)
    poses = posedata.parse_poses(raw("poses.yaml"), "poses.yaml", set(exercises))
    flags, tiers = _red_flags(raw("red_flags.yaml"), known)
    return Course(
        root=str(root),
        sources=frozen_map(sources),
        muscles=frozen_map(muscles),
        exercises=frozen_map(exercises),
        poses=frozen_map(poses),
        red_flags=frozen_map(flags),
        red_flag_tiers=frozen_map(tiers),
        facts=frozen_map(_facts(raw("facts.yaml"), known)),
        quizzes=_quizzes(raw("quizzes.yaml"), known),
        advice=cross.advice(raw("advice.yaml"), known["source"]),
        guidelines=guidelines,
    )


def _entries(cls: type, file: str, data: Any, known: Mapping[str, Collection[str]]) -> dict:
    """Every entry of a list file, read as ``cls`` by its fields alone."""
    return {e.id: build(cls, e, known) for e in entries(file, data)}


def _sources(data: Any, known: Mapping[str, Collection[str]]) -> dict[str, Source]:
    out = {}
    labels: dict[str, str] = {}  # short label -> id: readers tell sources apart by it
    for e in entries("sources.yaml", data):
        out[e.id] = build(Source, e, known)
        cross.source_labels(e, labels)
    return out


def _exercises(
    data: Any, known: dict[str, Collection[str]], guidelines: Guidelines
) -> dict[str, Exercise]:
    # Every id first: a regression or progression may name an exercise further down.
    items = list(entries("exercises.yaml", data))
    known["exercise"] = {e.id for e in items}
    out = {e.id: cross.exercise(e, known, guidelines) for e in items}
    cross.chains(items, out)
    return out


def _red_flags(
    data: Any, known: Mapping[str, Collection[str]]
) -> tuple[dict[str, RedFlag], dict[str, Mapping[str, str]]]:
    """The flags by id, and each tier's title and advice, from one read of the file."""
    if not isinstance(data, Mapping):
        raise CourseDataError("red_flags.yaml", None, None, "expected keys 'tiers' and 'flags'")
    tiers = data.get("tiers")
    if not isinstance(tiers, Mapping) or set(tiers) != set(RED_FLAG_TIERS):
        raise CourseDataError(
            "red_flags.yaml", None, "tiers", f"expected exactly {', '.join(RED_FLAG_TIERS)}"
        )
    tier_text: dict[str, Mapping[str, str]] = {}
    for tier in RED_FLAG_TIERS:
        t = Entry("red_flags.yaml", tier, tiers[tier] if isinstance(tiers[tier], Mapping) else {})
        t.only(("title", "advice"))
        tier_text[tier] = frozen_map({"title": t.text("title"), "advice": t.text("advice")})
    out = {e.id: build(RedFlag, e, known) for e in entries("red_flags.yaml", data, "flags")}
    if not any(f.tier == "emergency" for f in out.values()):
        raise CourseDataError("red_flags.yaml", None, "flags", "expected an emergency flag")
    return out, tier_text


def _facts(data: Any, known: Mapping[str, Collection[str]]) -> dict[str, tuple[Fact, ...]]:
    if not isinstance(data, Mapping) or not data:
        raise CourseDataError("facts.yaml", None, None, "expected a mapping of sections")
    out = {}
    for section, items in data.items():
        if not isinstance(section, str) or not ID_PATTERN.fullmatch(section):
            raise CourseDataError("facts.yaml", None, str(section), "expected a snake_case name")
        facts = []
        for e in entries("facts.yaml", items):
            e.id = f"{section}/{e.id}"  # messages name the section too
            extra = {k: v for k, v in e.data.items() if k not in ("id", "title", "text", "sources")}
            extra.update(cross.fact_data(section, e, known["exercise"]))
            fact = build(Fact, e, known, extra_ok=True, section=section, data=frozen_map(extra))
            facts.append(fact)
        out[section] = tuple(facts)
    return out


def _quizzes(data: Any, known: Mapping[str, Collection[str]]) -> tuple[Quiz, ...]:
    out = []
    for e in entries("quizzes.yaml", data):
        quiz = build(Quiz, e, known)
        cross.one_correct(e, quiz.choices)
        out.append(quiz)
    return tuple(out)
