"""What a learner tells the planner and what the planner gives back, as frozen dataclasses.

``Profile`` checks the answers on creation; ``Routine`` and ``Plan`` are the planner's
results. ``Routine``'s convenience methods (``plan``, ``to_html``, ...) are the one allowed
way up the flow, to the planner and the exports.
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import ProfileError
from .course import (
    EXPERIENCE,
    MINUTES_RANGE,
    PAIN_RANGE,
    PHASES,
    POSITIONS,
    SESSIONS_RANGE,
    WEEKS_RANGE,
    Course,
    Exercise,
)

# The days a log entry or a calendar may fall on. Not course content but a guard against
# typos (year 25 for 2025, or 9999): outside it, week tables, charts and calendars would
# overflow Python's and matplotlib's date arithmetic, and no real session happens there.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2100, 12, 31)


def day_range_text() -> str:
    """The plausible days in words, for messages: '1 January 1900 to 31 December 2100'."""
    return " to ".join(f"{d.day} {d:%B} {d.year}" for d in (EARLIEST_DAY, LATEST_DAY))


def _check_int(name: str, value: object, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ProfileError(name, f"expected a whole number from {lo} to {hi}, got {value!r}")
    if not lo <= value <= hi:
        raise ProfileError(name, f"must be from {lo} to {hi}, got {value}")
    return value


def _check_ids(name: str, value: object, allowed: tuple[str, ...] | None = None) -> frozenset[str]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ProfileError(name, f"expected a set of names, got {reprlib.repr(value)}")
    # Check each item before hashing: a nested list (e.g. [["supine"]]) cannot go in a set.
    listed = list(value)  # type: ignore[call-overload]
    bad = sorted({reprlib.repr(v) for v in listed if not isinstance(v, str)})
    if bad:
        raise ProfileError(name, f"expected names (text), got {', '.join(bad)}")
    items = frozenset(listed)
    if allowed is not None:
        unknown = sorted(items - set(allowed))
        if unknown:
            raise ProfileError(
                name, f"unknown {', '.join(unknown)}; choose from {', '.join(allowed)}"
            )
    return items


@dataclass(frozen=True)
class Profile:
    """What a learner tells the planner. Validated on creation: bad values raise ProfileError.

    Equipment and red-flag ids are checked against the course by ``build_routine``, because
    a trainer's course may name other equipment or flags.
    """

    pain_now: int
    weeks_since_onset: int
    minutes_per_session: int
    sessions_per_week: int
    positions: frozenset[str] = frozenset(POSITIONS)
    equipment: frozenset[str] = frozenset()
    experience: str = "beginner"
    red_flags: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalise through the back door, once
        set_(self, "pain_now", _check_int("pain_now", self.pain_now, *PAIN_RANGE))
        set_(
            self,
            "weeks_since_onset",
            _check_int("weeks_since_onset", self.weeks_since_onset, *WEEKS_RANGE),
        )
        set_(
            self,
            "minutes_per_session",
            _check_int("minutes_per_session", self.minutes_per_session, *MINUTES_RANGE),
        )
        set_(
            self,
            "sessions_per_week",
            _check_int("sessions_per_week", self.sessions_per_week, *SESSIONS_RANGE),
        )
        set_(self, "positions", _check_ids("positions", self.positions, POSITIONS))
        if not self.positions:
            raise ProfileError("positions", "choose at least one position you can get into")
        set_(self, "equipment", _check_ids("equipment", self.equipment))
        set_(self, "red_flags", _check_ids("red_flags", self.red_flags))
        if self.experience not in EXPERIENCE:
            raise ProfileError(
                "experience", f"expected one of {', '.join(EXPERIENCE)}, got {self.experience!r}"
            )

    def to_dict(self) -> dict[str, Any]:
        """Plain data (lists sorted) for JSON."""
        return {
            "pain_now": self.pain_now,
            "weeks_since_onset": self.weeks_since_onset,
            "minutes_per_session": self.minutes_per_session,
            "sessions_per_week": self.sessions_per_week,
            "positions": sorted(self.positions),
            "equipment": sorted(self.equipment),
            "experience": self.experience,
            "red_flags": sorted(self.red_flags),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Profile:
        """The inverse of ``to_dict``; missing or unknown keys raise ProfileError."""
        if not isinstance(data, Mapping):
            raise ProfileError(
                "profile", f"expected a mapping of answers, got {type(data).__name__}"
            )
        required = ("pain_now", "weeks_since_onset", "minutes_per_session", "sessions_per_week")
        for key in required:
            if key not in data:
                raise ProfileError(key, "is missing")
        known = set(required) | {"positions", "equipment", "experience", "red_flags"}
        extra = sorted(set(data) - known)
        if extra:
            raise ProfileError(
                extra[0], f"is not a profile field; fields are {', '.join(sorted(known))}"
            )
        return cls(**dict(data))


@dataclass(frozen=True)
class Prescription:
    """One exercise in a routine, with its dose and why it was chosen."""

    exercise: Exercise
    phase: str  # warm_up | main | cool_down
    sets: int
    reps: int | None
    hold_s: int | None
    per_side: bool
    rest_s: int
    minutes: float  # estimated time, sides, holds, rests and getting into position included
    reason: str
    duration_min: int | None = None  # aerobic activities are dosed in minutes

    def dose_text(self, side_word: str = "each side") -> str:
        """The dose in plain words, e.g. '2 sets of 8, hold 5 s, each side, rest 30 s'."""
        if self.duration_min is not None:
            return f"{self.duration_min} minutes, at an easy pace"
        parts = [f"{self.sets} set{'s' if self.sets != 1 else ''}"]
        if self.reps is not None:
            parts[0] += f" of {self.reps}"
        if self.hold_s:
            parts.append(f"hold {self.hold_s} s")
        if self.per_side:
            parts.append(side_word)
        if self.rest_s:
            parts.append(f"rest {self.rest_s} s")
        return ", ".join(parts)


@dataclass(frozen=True)
class Routine:
    """A session the learner can do today, and the course it was built from.

    ``items`` are in order: warm-up, main block, cool-down. ``minutes`` is the estimated
    session length (work, holds, both sides, rests and changes of position included).
    """

    profile: Profile
    items: tuple[Prescription, ...]
    minutes: float
    stage: str  # recent | settling | persistent (see guidelines.yaml, stages)
    notes: tuple[str, ...]  # plain sentences: how the routine was shaped, what it left out
    course: Course = field(repr=False, compare=False)

    def phase(self, phase: str) -> tuple[Prescription, ...]:
        """The prescriptions of one phase, in order."""
        return tuple(p for p in self.items if p.phase == phase)

    def time_budget(self) -> dict[str, float]:
        """Minutes per phase, e.g. {'warm_up': 5.0, 'main': 12.5, 'cool_down': 2.5}."""
        return {ph: round(sum(p.minutes for p in self.phase(ph)), 2) for ph in PHASES}

    def coverage(self) -> dict[str, float]:
        """How much each muscle is trained: 1 per primary target, 0.5 per secondary."""
        cover: dict[str, float] = {}
        for p in self.items:
            for m in p.exercise.muscles:
                cover[m] = cover.get(m, 0.0) + 1.0
            for m in p.exercise.secondary_muscles:
                cover[m] = cover.get(m, 0.0) + 0.5
        return cover

    def plan(self, weeks: int | None = None) -> Plan:
        """Week-by-week doses and progressions (see planner.plan_weeks); ``weeks`` defaults
        to guidelines.yaml's ``plan_weeks``."""
        from ..planner import plan_weeks  # lazy: the planner builds on this module

        return plan_weeks(self, weeks)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON; loads back through ``export.routine_from_json``."""
        from ..export import routine_to_dict

        return routine_to_dict(self)

    def to_json(self) -> str:
        from ..export import to_json

        return to_json(self)

    def to_html(self) -> str:
        from ..export import to_html

        return to_html(self)

    def to_markdown(self) -> str:
        from ..export import to_markdown

        return to_markdown(self)

    def to_ics(self, start: Any = None, weeks: int | None = None) -> str:
        from ..export import to_ics

        return to_ics(self, start=start, weeks=weeks)

    def to_pdf(self, path: Any) -> Any:
        from ..export import to_pdf

        return to_pdf(self, path)


@dataclass(frozen=True)
class PlanWeek:
    """One week of a plan: the session's prescriptions that week and what changed."""

    week: int  # 1-based
    items: tuple[Prescription, ...]
    minutes: float
    changes: tuple[str, ...]  # plain sentences: what is new this week


@dataclass(frozen=True)
class Plan:
    """A multi-week plan grown from a routine."""

    routine: Routine = field(repr=False, compare=False)
    weeks: tuple[PlanWeek, ...]
    step_back: str  # the rule for stepping back when pain rises
    sessions_per_week: int
