"""A sitting day and its breaks: split a long spell of sitting into shorter ones.

No widgets here: :func:`plan_breaks` takes the start and end of a sitting day and returns a
:class:`BreakPlan`, which the sitting widget draws. Every default and limit comes from
``course_data/facts.yaml`` (``guidance/sitting_breaks``): how often to get up, for how long,
the ranges a learner may choose from, and the moves suggested for each break.

>>> from backcourse.sitting import plan_breaks
>>> plan = plan_breaks("09:00", "17:00")            # doctest: +SKIP
>>> plan.longest_sit, len(plan.breaks)              # doctest: +SKIP
(30, 15)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import CourseDataError, ProfileError
from .model import Course, Exercise

DAY = 24 * 60
FACT = ("guidance", "sitting_breaks")
_CLOCK = re.compile(r"^\s*(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$", re.I)


@dataclass(frozen=True)
class SittingRules:
    """How the course suggests breaking up sitting (from facts.yaml)."""

    every: int  # minutes of sitting between breaks
    length: int  # minutes each break lasts
    every_range: tuple[int, int]
    length_range: tuple[int, int]
    moves: tuple[Exercise, ...]  # what to do in a break, in turn
    title: str
    text: str
    sources: tuple[str, ...]


def _pair(entry: str, name: str, value: Any) -> tuple[int, int]:
    ok = (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and 0 < value[0] <= value[1]
    )
    if not ok:
        raise CourseDataError("facts.yaml", entry, name, "expected [low, high], whole minutes")
    return int(value[0]), int(value[1])


def sitting_rules(course: Course | None = None) -> SittingRules:
    """Read and check the sitting guidance of a course.

    Raises
    ------
    CourseDataError
        When the entry is missing, or a number, range or move id is wrong.
    """
    if course is None:
        from .catalog import load_course

        course = load_course()
    entry = "/".join(FACT)
    try:
        fact = course.fact(*FACT)
    except KeyError:
        raise CourseDataError("facts.yaml", entry, None, "expected this entry") from None
    data: Mapping[str, Any] = fact.data
    every_range = _pair(entry, "every_range", data.get("every_range"))
    length_range = _pair(entry, "minutes_range", data.get("minutes_range"))
    numbers = {}
    for name, bounds in (("break_every_minutes", every_range), ("break_minutes", length_range)):
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise CourseDataError("facts.yaml", entry, name, "expected whole minutes")
        if not bounds[0] <= value <= bounds[1]:
            raise CourseDataError("facts.yaml", entry, name, f"expected {bounds[0]}-{bounds[1]}")
        numbers[name] = value
    raw_moves = data.get("moves")
    if not isinstance(raw_moves, (list, tuple)) or not raw_moves:
        raise CourseDataError("facts.yaml", entry, "moves", "expected a list of exercise ids")
    unknown = [m for m in raw_moves if m not in course.exercises]
    if unknown:
        raise CourseDataError("facts.yaml", entry, "moves", f"unknown exercise {unknown[0]!r}")
    return SittingRules(
        every=numbers["break_every_minutes"],
        length=numbers["break_minutes"],
        every_range=every_range,
        length_range=length_range,
        moves=tuple(course.exercises[m] for m in raw_moves),
        title=fact.title,
        text=fact.text,
        sources=fact.sources,
    )


def parse_clock(text: object, field: str = "time") -> int:
    """A time of day as minutes after midnight: '9', '09:00', '17.30', '5:30pm' ...

    Raises
    ------
    ProfileError
        Naming ``field``, when the text is not a time of day.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    match = _CLOCK.match(text) if isinstance(text, str) else None
    if not match:
        raise ProfileError(field, f"expected a time of day such as 09:00 or 17:30, got {text!r}")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower().replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            raise ProfileError(field, f"with am or pm the hour is 1 to 12, got {hour}")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ProfileError(field, f"expected hours 0-23 and minutes 0-59, got {text!r}")
    return hour * 60 + minute


def clock(minutes: int) -> str:
    """Minutes after midnight as HH:MM (wrapping past midnight)."""
    hour, minute = divmod(minutes % DAY, 60)
    return f"{hour:02d}:{minute:02d}"


def duration(minutes: int) -> str:
    """Minutes in words: '45 min', '2 h', '7 h 30 min'."""
    hours, mins = divmod(int(minutes), 60)
    if not hours:
        return f"{mins} min"
    return f"{hours} h" + (f" {mins} min" if mins else "")


def _whole(field: str, value: object, bounds: tuple[int, int]) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProfileError(field, f"expected whole minutes from {bounds[0]} to {bounds[1]}")
    if not bounds[0] <= value <= bounds[1]:
        raise ProfileError(field, f"must be from {bounds[0]} to {bounds[1]} minutes, got {value}")
    return value


@dataclass(frozen=True)
class Spell:
    """One part of the day: sitting, or a break with a suggested move."""

    kind: str  # "sit" | "break"
    start: int  # minutes after midnight (may pass 24:00 for a day that crosses midnight)
    end: int
    move: Exercise | None = None

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def __str__(self) -> str:
        what = "sit" if self.kind == "sit" else f"break: {self.move.name if self.move else ''}"
        return f"{clock(self.start)}-{clock(self.end)} {what}"


@dataclass(frozen=True)
class BreakPlan:
    """A sitting day cut into spells of sitting and short breaks."""

    start: int
    end: int
    every: int
    length: int
    spells: tuple[Spell, ...]

    @property
    def span(self) -> int:
        """Minutes from the start to the end of the sitting day."""
        return self.end - self.start

    @property
    def breaks(self) -> tuple[Spell, ...]:
        return tuple(s for s in self.spells if s.kind == "break")

    @property
    def sitting_minutes(self) -> int:
        return sum(s.minutes for s in self.spells if s.kind == "sit")

    @property
    def moving_minutes(self) -> int:
        return sum(s.minutes for s in self.breaks)

    @property
    def longest_sit(self) -> int:
        return max((s.minutes for s in self.spells if s.kind == "sit"), default=0)

    def summary(self) -> str:
        """The plan in one or two plain sentences."""
        if not self.breaks:
            return (
                f"{duration(self.span)} of sitting, short enough to need no break at this "
                f"setting (one every {duration(self.every)})."
            )
        n = len(self.breaks)
        return (
            f"Instead of {duration(self.span)} in one go, you sit for at most "
            f"{duration(self.longest_sit)} at a time: {n} break{'s' if n != 1 else ''} of "
            f"{duration(self.length)}, {duration(self.moving_minutes)} on your feet in all."
        )


def plan_breaks(
    start: object = "09:00",
    end: object = "17:00",
    every: object | None = None,
    length: object | None = None,
    course: Course | None = None,
) -> BreakPlan:
    """Split a sitting day into spells of ``every`` minutes with breaks of ``length``.

    Parameters
    ----------
    start, end
        When the sitting day begins and ends, e.g. ``"09:00"`` and ``"17:30"``. An end
        earlier than the start means the day runs past midnight (a night shift).
    every, length
        Minutes between breaks and minutes each break lasts; the course's suggestion when
        omitted, and limited to the ranges in facts.yaml.
    course
        The loaded course (its facts give the defaults, limits and moves).

    Raises
    ------
    ProfileError
        Naming the field (``start``, ``end``, ``every`` or ``length``) when a value is wrong.
    """
    rules = sitting_rules(course)
    t0 = parse_clock(start, "start")
    t1 = parse_clock(end, "end")
    if t1 == t0:
        raise ProfileError("end", "must be later than the start")
    if t1 < t0:
        t1 += DAY
    sit = _whole("every", rules.every if every is None else every, rules.every_range)
    rest = _whole("length", rules.length if length is None else length, rules.length_range)
    spells: list[Spell] = []
    now, n = t0, 0
    while now < t1:
        stop = min(now + sit, t1)
        spells.append(Spell("sit", now, stop))
        now = stop
        if now >= t1:
            break
        # A break near the end of the day runs to the end: you are up anyway.
        stop = min(now + rest, t1)
        spells.append(Spell("break", now, stop, rules.moves[n % len(rules.moves)]))
        now, n = stop, n + 1
    return BreakPlan(t0, t1, sit, rest, tuple(spells))
