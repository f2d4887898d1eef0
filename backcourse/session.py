"""A routine, or one week of its plan, as the timeline of steps the guided player plays.

Each prescription becomes: get ready (or a preview of it, between exercises), then for each
set and each side the repetitions, every held repetition as its own "hold" step, a change
of sides, and a rest between sets. The seconds come from the same timing rules as
``routine.minutes`` (``timing`` in course_data/guidelines.yaml: a repetition, a change of
side, getting into a new position, reading the next card), so the timeline's total agrees
with the routine's estimate. Pure and deterministic: same routine, same steps.

>>> from backcourse import Profile, build_routine, load_course
>>> course = load_course()
>>> routine = build_routine(Profile(pain_now=3, weeks_since_onset=10,
...                                 minutes_per_session=15, sessions_per_week=3), course)
>>> steps = timeline(routine)
>>> steps[0].kind, steps[-1].kind
('ready', 'done')
>>> abs(total_seconds(steps) - routine.minutes * 60) <= 0.05 * routine.minutes * 60
True
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from .errors import CourseDataError
from .model import Course, Plan, PlanWeek, Prescription, Routine

KINDS = ("ready", "rep", "hold", "rest", "switch", "next", "done")
SESSION_FILE = "session.yaml"


@dataclass(frozen=True)
class Step:
    """One step of a guided session.

    Attributes
    ----------
    kind : str
        One of ``KINDS``: "ready" (get into position for the first exercise), "rep" (one
        repetition, or getting into a held position), "hold" (one held repetition, or a
        timed activity such as a walk), "rest" (between sets), "switch" (change sides),
        "next" (between exercises: a preview of the next one), "done".
    seconds : int
        How long the step lasts.
    exercise_id : str or None
        The exercise being done; None between exercises ("next", "done").
    item : int or None
        Index of the prescription in the routine's items (for "next": the one coming up).
    set, sets, rep, reps : int
        Where the step is within the prescription (1-based; 0 when it does not apply).
    side : str or None
        "left" or "right" for exercises done on each side.
    upcoming : str or None
        For "next": the exercise coming up.
    activity : bool
        True for a timed activity (a walk, a ride) dosed in minutes.
    phase : str or None
        The phase of the exercise (warm_up, main, cool_down); for "next", of the one coming.
    """

    kind: str
    seconds: int
    exercise_id: str | None
    item: int | None = None
    set: int = 0
    sets: int = 0
    rep: int = 0
    reps: int = 0
    side: str | None = None
    upcoming: str | None = None
    activity: bool = False
    phase: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for the player's JavaScript)."""
        return {f: getattr(self, f) for f in self.__dataclass_fields__}


def _items_and_course(
    source: Routine | PlanWeek | Plan, course: Course | None
) -> tuple[tuple[Prescription, ...], Course]:
    if isinstance(source, Routine):
        return source.items, course or source.course
    if isinstance(source, Plan):
        return source.weeks[0].items, course or source.routine.course
    if isinstance(source, PlanWeek):
        if course is None:
            from .catalog import load_course

            course = load_course()
        return source.items, course
    raise TypeError(f"expected a Routine or a PlanWeek, got {type(source).__name__}")


def timeline(
    source: Routine | PlanWeek,
    course: Course | None = None,
    *,
    easier: Mapping[int, str] | None = None,
) -> tuple[Step, ...]:
    """The steps of a guided session for a routine or one week of its plan.

    Parameters
    ----------
    source
        A Routine, or a PlanWeek from ``routine.plan().weeks``.
    course
        The course (a Routine carries its own; a PlanWeek uses the bundled course if None).
    easier
        Item index -> exercise id to do instead, with the same dose (the player's "Too
        hard" swaps an exercise for its easier rung).
    """
    items, course = _items_and_course(source, course)
    if easier:
        items = swapped(items, easier, course)
    t = course.guidelines.timing
    order = sides_order(course)
    steps: list[Step] = []
    where = "standing"  # the planner's assumption too: a session starts on your feet
    for i, p in enumerate(items):
        ex = p.exercise
        settle = t["between_exercises_s"]
        if ex.position != where:
            settle += t["change_of_position_s"]
            where = ex.position
        if i == 0:
            first = Step("ready", settle, ex.id, i)
        else:
            first = Step("next", settle, None, i, upcoming=ex.id)
        steps.extend(replace(s, phase=p.phase) for s in (first, *_work(i, p, t, order)))
    steps.append(Step("done", 0, None))
    return tuple(steps)


def _work(i: int, p: Prescription, t: Mapping[str, int], order: Sequence[str]) -> list[Step]:
    """The steps of one prescription, in the order they are done."""
    ex = p.exercise
    if p.duration_min is not None:
        return [Step("hold", p.duration_min * 60, ex.id, i, 1, 1, activity=True)]
    rep_s = ex.rep_s or t["rep_s"]
    reps = p.reps or 0
    out: list[Step] = []
    for s in range(1, p.sets + 1):
        for n, side in enumerate(order if p.per_side else (None,)):
            if n > 0:
                out.append(Step("switch", t["change_of_side_s"], ex.id, i, s, p.sets, side=side))
            for r in range(1, max(reps, 1) + 1):
                out.append(Step("rep", rep_s, ex.id, i, s, p.sets, r, reps, side))
                if p.hold_s:
                    out.append(Step("hold", p.hold_s, ex.id, i, s, p.sets, r, reps, side))
        # One change of side per set, as the planner counts it: the next set starts again
        # on the first side, during the rest.
        if s < p.sets and p.rest_s:
            out.append(Step("rest", p.rest_s, ex.id, i, s, p.sets))
    return out


def swapped(
    items: Sequence[Prescription], easier: Mapping[int, str], course: Course
) -> tuple[Prescription, ...]:
    """The items with some exercises replaced, keeping each dose."""
    out = list(items)
    for i, ex_id in easier.items():
        ex = course.exercises[ex_id]
        out[i] = replace(out[i], exercise=ex, per_side=ex.per_side)
    return tuple(out)


def total_seconds(steps: Sequence[Step]) -> int:
    """The length of a timeline in seconds."""
    return sum(s.seconds for s in steps)


def sides_order(course: Course) -> tuple[str, ...]:
    """The order sides are worked in (session.yaml, sides.order)."""
    return tuple(session_text(course)["sides"]["order"])


# --------------------------------------------------------------------------- words

# Every section and key session.yaml must have (the player reads each of them).
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "sides": ("order", "names"),
    "headings": ("ready", "rep", "hold", "activity", "rest", "switch", "next", "done"),
    "progress": ("set", "rep", "side", "exercise"),
    "spoken": (
        "ready",
        "next",
        "hold",
        "release",
        "countdown",
        "rest",
        "switch",
        "activity",
        "done",
    ),
    "controls": (
        "start",
        "pause",
        "resume",
        "skip",
        "back",
        "too_hard",
        "stop",
        "how_to",
        "sound",
        "voice",
        "record",
        "undo",
        "save_pain",
        "player_label",
        "start_today",
        "week",
        "picture_label",
        "time_left",
        "total_left",
    ),
    "form": ("pain_before", "pain_after", "effort", "pain_stopped", "finished"),
    "messages": (
        "swapped",
        "no_easier",
        "recorded",
        "recorded_stopped",
        "undone",
        "pain_saved",
        "not_saved",
        "skipped",
        "swaps",
    ),
    "stop": ("title", "first", "step_back", "see_doctor"),
    "notes": ("guided", "stopped"),
}


def session_text(course: Course) -> Mapping[str, Any]:
    """The player's words from ``session.yaml`` in the course's folder, checked.

    Raises
    ------
    CourseDataError
        A section or key is missing or not text, naming the file, section and key.
    """
    path = Path(course.root) / SESSION_FILE
    return _load_text(str(path), path.stat().st_mtime_ns if path.exists() else 0)


@cache
def _load_text(path: str, _stamp: int) -> Mapping[str, Any]:
    from .catalog import read_yaml

    data = read_yaml(Path(path))
    if not isinstance(data, dict):
        raise CourseDataError(SESSION_FILE, None, None, "expected a mapping of sections")
    for section, keys in REQUIRED.items():
        got = data.get(section)
        if not isinstance(got, dict):
            raise CourseDataError(SESSION_FILE, section, None, "section is missing")
        for key in keys:
            if key not in got:
                raise CourseDataError(SESSION_FILE, section, key, "is missing")
            if section != "sides" and not isinstance(got[key], str):
                raise CourseDataError(SESSION_FILE, section, key, "expected text")
    order = data["sides"]["order"]
    names = data["sides"]["names"]
    if not (isinstance(order, list) and sorted(order) == ["left", "right"]):
        raise CourseDataError(SESSION_FILE, "sides", "order", "expected [left, right] in order")
    if not isinstance(names, dict) or set(names) != {"left", "right"}:
        raise CourseDataError(SESSION_FILE, "sides", "names", "expected names for left, right")
    for section in REQUIRED:
        for key, value in data[section].items():
            if isinstance(value, str):
                _check_format(section, key, value)
    return data


_FIELDS = {
    "exercise",
    "seconds",
    "side",
    "set",
    "sets",
    "rep",
    "reps",
    "minutes",
    "step",
    "steps",
    "first_step",
    "easier",
    "pain_before",
    "pain_after",
    "problem",
    "names",
    "week",
    "step_back_pain_rise",
    "review_after_weeks",
}


def _check_format(section: str, key: str, text: str) -> None:
    """A placeholder the player does not fill would show as {braces}: refuse it here."""
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError as exc:
        raise CourseDataError(SESSION_FILE, section, key, f"bad {{placeholder}}: {exc}") from None
    unknown = names - _FIELDS
    if unknown:
        raise CourseDataError(
            SESSION_FILE, section, key, f"unknown placeholder {{{sorted(unknown)[0]}}}"
        )
