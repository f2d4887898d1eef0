"""The course's vocabulary as frozen dataclasses.

Nothing here reads files or imports the rest of backcourse: the catalog builds these objects
from course_data/, and every other module only reads them.
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, ClassVar

from .errors import ProfileError

# The positions a body can be in while exercising. Fixed by DESIGN.md: exercises, profiles
# and widgets all use these ids (plain-word labels live in course_data/guidelines.yaml).
POSITIONS: tuple[str, ...] = (
    "supine",
    "prone",
    "side_lying",
    "all_fours",
    "kneeling",
    "standing",
    "seated",
)
CATEGORIES: tuple[str, ...] = ("stretch", "activation", "strength", "aerobic")
PHASES: tuple[str, ...] = ("warm_up", "main", "cool_down")
EXPERIENCE: tuple[str, ...] = ("beginner", "intermediate", "advanced")
IMPACTS: tuple[str, ...] = ("low", "high")
# Most urgent first: call 999 now; see a GP soon (no exercise until then); keep gently active
# and see a GP or physiotherapist if it does not get better (a gentle routine is allowed).
RED_FLAG_TIERS: tuple[str, ...] = ("emergency", "see_doctor", "if_not_better")

# Ranges of what a learner can tell us. These describe the questions (the 0-10 Numeric Pain
# Rating Scale, days in a week), not doses: doses live in course_data/guidelines.yaml.
PAIN_RANGE = (0, 10)
WEEKS_RANGE = (0, 520)
MINUTES_RANGE = (5, 60)
SESSIONS_RANGE = (1, 7)


def frozen_map(items: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    """A read-only view of a fresh dict, so course objects cannot be changed in place."""
    return MappingProxyType(dict(items or {}))


@dataclass(frozen=True)
class Source:
    """A work the course cites: a seed article, a study or a guideline."""

    id: str
    title: str
    kind: str  # article | study | guideline | measure | book
    year: int | None = None
    short: str = ""  # the label readers see: "NICE 2016", "Klarity" (never the id)
    authors: str = ""
    publisher: str = ""
    url: str = ""
    licence: str = ""
    note: str = ""

    def citation(self) -> str:
        """A one-line citation: authors (year). Title. Publisher."""
        parts = []
        if self.authors:
            parts.append(self.authors + (f" ({self.year})." if self.year else "."))
        elif self.year:
            parts.append(f"({self.year}).")
        parts.append(self.title.rstrip(".") + ".")
        if self.publisher:
            parts.append(self.publisher.rstrip(".") + ".")
        return " ".join(parts)

    def label(self) -> str:
        """The short author-year or organisation-year label readers see ("NICE 2016")."""
        return self.short or self.title


@dataclass(frozen=True)
class Muscle:
    """A muscle or muscle group the course teaches."""

    id: str
    name: str
    plain_name: str
    group: str
    core_role: str  # major | minor | none  (the major/minor core groups of the sources)
    layer: str  # deep | middle | superficial
    location: str
    action: str
    why_it_matters: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Dose:
    """An amount of an exercise. ``None`` means the field does not apply (a walk has no reps)."""

    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    rest_s: int | None = None
    minutes: int | None = None
    per_side: bool = False
    times_per_day: int | None = None
    source: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Exercise:
    """One exercise or activity, as the sources describe it."""

    id: str
    name: str
    category: str  # one of CATEGORIES
    position: str  # the main position, one of POSITIONS
    positions: tuple[str, ...]  # every position the exercise passes through
    equipment: tuple[str, ...]  # what it cannot be done without
    muscles: tuple[str, ...]  # primary target muscles (ids in muscles.yaml)
    secondary_muscles: tuple[str, ...]
    difficulty: int  # 1 gentle, 2 moderate, 3 demanding
    impact: str  # low | high
    summary: str
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    dose: Dose
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    caution: str = ""
    regression: str | None = None
    progression: str | None = None
    rep_s: int | None = None  # seconds one repetition takes, when it differs from the default

    @property
    def per_side(self) -> bool:
        """True when the exercise is done on one side and then the other."""
        return self.dose.per_side

    @property
    def loaded(self) -> bool:
        """True when the exercise uses external weights."""
        return "weights" in self.equipment

    @property
    def all_muscles(self) -> tuple[str, ...]:
        """Primary then secondary muscles."""
        return self.muscles + self.secondary_muscles


@dataclass(frozen=True)
class RedFlag:
    """A warning sign that needs medical attention instead of exercise."""

    id: str
    tier: str  # emergency | see_doctor | if_not_better
    label: str
    question: str
    why: str
    action: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Fact:
    """A piece of teaching: a definition, a prevalence figure, a risk factor, a timeline..."""

    id: str
    section: str
    title: str
    text: str
    sources: tuple[str, ...]
    data: Mapping[str, Any] = field(default_factory=frozen_map)


@dataclass(frozen=True)
class Choice:
    """One answer to a quiz question, with the feedback a learner sees after picking it."""

    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Quiz:
    """A multiple-choice question belonging to a lesson."""

    id: str
    lesson: str
    question: str
    choices: tuple[Choice, ...]
    sources: tuple[str, ...]
    quick_check: bool = False  # asked mid-lesson, on its own, rather than in the end quiz

    @property
    def answer(self) -> Choice:
        """The correct choice (the catalog checks there is exactly one)."""
        return next(c for c in self.choices if c.correct)


@dataclass(frozen=True)
class Bounds:
    """Inclusive lower and upper limits of one dose field."""

    low: int
    high: int

    def clamp(self, value: int) -> int:
        return max(self.low, min(self.high, value))

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.low <= value <= self.high


@dataclass(frozen=True)
class Guidelines:
    """Dose bounds, timing rules, thresholds and labels, all from guidelines.yaml."""

    dose_bounds: Mapping[str, Mapping[str, Bounds]]  # category -> field -> Bounds
    timing: Mapping[str, int]
    stages: Mapping[str, int]
    progression: Mapping[str, int]
    start: Mapping[str, int]
    coverage: Mapping[str, Mapping[str, tuple[str, ...]]]  # phase -> target -> muscle ids
    labels: Mapping[str, Mapping[str, str]]  # vocabulary -> id -> plain words
    sources: Mapping[str, tuple[str, ...]]  # section -> source ids
    notes: Mapping[str, str]
    plan_weeks: int  # how many weeks a plan covers (guidelines.yaml plan_weeks)
    warm_up: tuple[str, ...] = ()  # exercise ids a warm-up may use, first choice first

    def bounds(self, category: str, name: str) -> Bounds | None:
        """The bounds for one dose field of a category, or None when it has none."""
        return self.dose_bounds.get(category, {}).get(name)

    def label(self, vocabulary: str, key: str) -> str:
        """Plain words for an id, e.g. label('positions', 'supine') -> 'lying on your back'."""
        return self.labels.get(vocabulary, {}).get(key, key.replace("_", " "))


@dataclass(frozen=True)
class AdviceRules:
    """The progress advice's thresholds and wording, from advice.yaml (see progress.advice)."""

    # What progress.advice reads: the kinds, the threshold names, and for each message the
    # {placeholders} it fills in (a message may use fewer, never others).
    KINDS: ClassVar[tuple[str, ...]] = (
        "progress",
        "hold",
        "step_back",
        "see_doctor",
        "not_enough_data",
    )
    THRESHOLDS: ClassVar[tuple[str, ...]] = (
        "min_entries",
        "mild_pain_max",
        "min_sessions_a_week",
        "noise_pct_of_rise",
        "no_improvement_min_days",
    )
    NOUNS: ClassVar[tuple[str, ...]] = ("entry", "entries")
    MESSAGES: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "not_enough_entries": ("min_entries", "entries", "entries_word"),
        "no_week_before": (),
        "step_back": ("day", "week_pain", "rise", "now", "review_by"),
        "getting_worse": ("weeks", "earlier", "later"),
        "no_improvement": ("weeks", "now", "first_week"),
        "progress": ("how", "sessions"),
        "progress_down": ("now",),
        "progress_steady": ("now",),
        "hold": ("why", "expected_weeks"),
        "hold_few_sessions": ("sessions", "min_sessions"),
        "hold_steady": ("now",),
    }

    thresholds: Mapping[str, int]
    titles: Mapping[str, str]  # kind of advice -> its heading
    messages: Mapping[str, str]  # message id -> text with {name} placeholders
    nouns: Mapping[str, str]
    not_a_diagnosis: str
    sources: Mapping[str, tuple[str, ...]] = field(default_factory=frozen_map)


@dataclass(frozen=True)
class Course:
    """Everything in course_data/, loaded, validated and cross-checked."""

    root: str
    sources: Mapping[str, Source]
    muscles: Mapping[str, Muscle]
    exercises: Mapping[str, Exercise]
    poses: Mapping[str, Any]
    red_flags: Mapping[str, RedFlag]
    red_flag_tiers: Mapping[str, Mapping[str, str]]  # tier -> {'title', 'advice'}
    facts: Mapping[str, tuple[Fact, ...]]
    quizzes: tuple[Quiz, ...]
    guidelines: Guidelines
    advice: AdviceRules | None = None  # advice.yaml; None only for a Course built by hand

    def quizzes_for(self, lesson: str) -> tuple[Quiz, ...]:
        """The questions of one lesson, in file order."""
        return tuple(q for q in self.quizzes if q.lesson == lesson)

    def fact(self, section: str, fact_id: str) -> Fact:
        """One fact by section and id."""
        for f in self.facts.get(section, ()):
            if f.id == fact_id:
                return f
        raise KeyError(f"{section}/{fact_id}")

    def exercises_for_muscle(self, muscle_id: str) -> tuple[Exercise, ...]:
        """Exercises that train a muscle, primary targets first."""
        primary = [e for e in self.exercises.values() if muscle_id in e.muscles]
        secondary = [e for e in self.exercises.values() if muscle_id in e.secondary_muscles]
        return tuple(primary + secondary)


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
        from .planner import plan_weeks  # lazy: the planner builds on this module

        return plan_weeks(self, weeks)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON; loads back through ``export.routine_from_json``."""
        from .export import routine_to_dict

        return routine_to_dict(self)

    def to_json(self) -> str:
        from .export import to_json

        return to_json(self)

    def to_html(self) -> str:
        from .export import to_html

        return to_html(self)

    def to_markdown(self) -> str:
        from .export import to_markdown

        return to_markdown(self)

    def to_ics(self, start: Any = None, weeks: int = 12) -> str:
        from .export import to_ics

        return to_ics(self, start=start, weeks=weeks)

    def to_pdf(self, path: Any) -> Any:
        from .export import to_pdf

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
