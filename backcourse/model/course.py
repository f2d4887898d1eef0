"""The course's content as frozen dataclasses: what course_data/ holds, field by field.

Each field says how course data writes it (``rule``: ranges, choices, references), and the
catalog reads YAML by these fields alone. Nothing here reads files or imports the rest of
backcourse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

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
SOURCE_KINDS: tuple[str, ...] = ("article", "study", "guideline", "measure", "book")
CORE_ROLES: tuple[str, ...] = ("major", "minor", "none")  # the sources' major/minor core groups
LAYERS: tuple[str, ...] = ("deep", "middle", "superficial")
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


def rule(
    default: Any = MISSING,
    *,
    range: tuple[float, float] | None = None,
    choices: tuple[str, ...] | str | None = None,
    ref: str | None = None,
    at_least: int = 0,
    yaml: str | None = None,
    keys: Mapping[str, tuple[int, int]] | None = None,
    if_absent: Any = MISSING,
    required: bool = False,
    cross: str | None = None,
) -> Any:
    """A dataclass field together with how course data must write it.

    The catalog reads each field from YAML by its type hint (``str``, ``int``, ``bool``,
    ``tuple[str, ...]``, a nested dataclass, ``X | None`` for optional) and applies these
    rules; a field without a default is required. ``range``: lowest and highest number.
    ``choices``: the allowed words, or the name of a vocabulary in guidelines.yaml labels.
    ``ref``: the id set a reference belongs to ("source", "muscle", "exercise",
    "equipment", "position"). ``at_least``: fewest items of a list. ``yaml``: the key
    path when it differs from the field name ("muscles.primary"). ``keys``: for a mapping
    of numbers, each key and its range. ``if_absent``: the value when YAML leaves the field
    out, for a field Python code must always give; ``required``: YAML must give it even
    though Python code may leave it out. ``cross``: the field depends on other data, so
    ``catalog/cross.py`` reads it (the text says why).

    >>> from dataclasses import dataclass, fields
    >>> @dataclass
    ... class Step:
    ...     minutes: int = rule(range=(1, 60))
    >>> fields(Step)[0].metadata["range"]
    (1, 60)
    """
    found = {"range": range, "choices": choices, "ref": ref, "at_least": at_least}
    found |= {"yaml": yaml, "keys": keys, "required": required, "cross": cross}
    if if_absent is not MISSING:
        found["if_absent"] = (if_absent,)  # boxed: a falsy value (False, ()) is kept
    meta = MappingProxyType({k: v for k, v in found.items() if v})
    return field(metadata=meta) if default is MISSING else field(default=default, metadata=meta)


@dataclass(frozen=True)
class Source:
    """A work the course cites: a seed article, a study or a guideline."""

    id: str
    title: str
    kind: str = rule(choices=SOURCE_KINDS)
    year: int | None = rule(None, range=(1900, 2100))
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
    group: str = rule(choices="muscle_groups")  # labelled in guidelines.yaml
    core_role: str = rule(choices=CORE_ROLES)
    layer: str = rule(choices=LAYERS)
    location: str
    action: str
    why_it_matters: str
    sources: tuple[str, ...] = rule(ref="source", at_least=1)


_BY_CATEGORY = "bounds per category in guidelines.yaml dose_bounds"


@dataclass(frozen=True)
class Dose:
    """An amount of an exercise. ``None`` means the field does not apply (a walk has no reps)."""

    sets: int | None = rule(None, cross=_BY_CATEGORY)
    reps: int | None = rule(None, cross=_BY_CATEGORY)
    hold_s: int | None = rule(None, cross=_BY_CATEGORY)
    rest_s: int | None = rule(None, cross=_BY_CATEGORY)
    minutes: int | None = rule(None, cross=_BY_CATEGORY)
    per_side: bool = False
    times_per_day: int | None = rule(None, range=(1, 6))
    source: str | None = rule(None, ref="source", required=True)
    note: str = ""


@dataclass(frozen=True)
class Exercise:
    """One exercise or activity, as the sources describe it."""

    id: str
    name: str
    category: str = rule(choices=CATEGORIES)
    position: str = rule(choices=POSITIONS)  # the main position
    # Every position the exercise passes through (YAML may leave it to the main one).
    positions: tuple[str, ...] = rule(cross="includes the main position, its default")
    equipment: tuple[str, ...] = rule(ref="equipment", if_absent=())  # what it needs
    muscles: tuple[str, ...] = rule(ref="muscle", yaml="muscles.primary", at_least=1)
    secondary_muscles: tuple[str, ...] = rule(ref="muscle", yaml="muscles.secondary", if_absent=())
    difficulty: int = rule(range=(1, 3))  # 1 gentle, 2 moderate, 3 demanding
    impact: str = rule(choices=IMPACTS)
    summary: str
    steps: tuple[str, ...] = rule(at_least=1)
    cues: tuple[str, ...] = rule(at_least=1)
    mistakes: tuple[str, ...] = rule(at_least=1)
    dose: Dose = rule(cross=_BY_CATEGORY)
    sources: tuple[str, ...] = rule(ref="source", at_least=1)
    aliases: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    caution: str = ""
    regression: str | None = rule(None, ref="exercise")
    progression: str | None = rule(None, ref="exercise")
    # Seconds one repetition takes, when it differs from guidelines.yaml timing.rep_s.
    rep_s: int | None = rule(None, range=(1, 60))

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
    tier: str = rule(choices=RED_FLAG_TIERS)
    label: str
    question: str
    why: str
    action: str
    sources: tuple[str, ...] = rule(ref="source", at_least=1)


@dataclass(frozen=True)
class Fact:
    """A piece of teaching: a definition, a prevalence figure, a risk factor, a timeline..."""

    id: str
    section: str = rule(cross="the facts.yaml section the fact is in")
    title: str
    text: str
    sources: tuple[str, ...] = rule(ref="source", at_least=1)
    data: Mapping[str, Any] = field(
        default_factory=frozen_map, metadata={"cross": "the section's own fields"}
    )


@dataclass(frozen=True)
class Choice:
    """One answer to a quiz question, with the feedback a learner sees after picking it."""

    text: str
    correct: bool = rule(if_absent=False)
    feedback: str


@dataclass(frozen=True)
class Quiz:
    """A multiple-choice question belonging to a lesson."""

    id: str
    lesson: str
    question: str
    choices: tuple[Choice, ...] = rule(at_least=2)
    sources: tuple[str, ...] = rule(ref="source", at_least=1)
    quick_check: bool = False  # asked mid-lesson, on its own, rather than in the end quiz

    @property
    def answer(self) -> Choice:
        """The correct choice (the catalog checks there is exactly one)."""
        return next(c for c in self.choices if c.correct)


@dataclass(frozen=True)
class Bounds:
    """Inclusive lower and upper limits of one dose field."""

    low: int = rule(range=(0, 600))
    high: int = rule(range=(0, 600))

    def clamp(self, value: int) -> int:
        return max(self.low, min(self.high, value))

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.low <= value <= self.high


# Ranges of guidelines.yaml numbers (what a sane value can be, not the guideline itself).
_SECONDS = (0, 600)
_COUNT = (0, 600)
_PERCENT = (1, 100)


@dataclass(frozen=True)
class Guidelines:
    """Dose bounds, timing rules, thresholds and labels, all from guidelines.yaml."""

    # category -> field -> Bounds
    dose_bounds: Mapping[str, Mapping[str, Bounds]] = rule(cross="categories and dose fields")
    # Seconds and minutes a session is timed with (see the planner).
    timing: Mapping[str, int] = rule(
        keys={
            "rep_s": _SECONDS,
            "change_of_side_s": _SECONDS,
            "change_of_position_s": _SECONDS,
            "between_exercises_s": _SECONDS,
            "warm_up_min_minutes": _SECONDS,
            "warm_up_max_minutes": _SECONDS,
            "warm_up_full_minutes": _SECONDS,
            "warm_up_share_pct": _PERCENT,
            "fill_fraction_pct": _PERCENT,
            "growth_room_pct": _PERCENT,
        }
    )
    # When an episode counts as recent or persistent, and which pain is severe.
    stages: Mapping[str, int] = rule(
        keys={
            "acute_weeks": WEEKS_RANGE,
            "chronic_weeks": WEEKS_RANGE,
            "severe_pain": PAIN_RANGE,
            "moderate_pain": PAIN_RANGE,
            "high_impact_pain": PAIN_RANGE,
        }
    )
    # How a 12-week plan grows and steps back.
    progression: Mapping[str, int] = rule(
        keys={
            "add_reps": _COUNT,
            "every_days": _COUNT,
            "max_reps_a_week": _COUNT,
            "max_hold_s_a_week": _SECONDS,
            "max_sets_a_week": _COUNT,
            "hold_step_s": _SECONDS,
            "hold_target_s": _SECONDS,
            "stretch_hold_goal_s": _SECONDS,
            "add_set_after_weeks": _COUNT,
            "step_up_after_weeks": _COUNT,
            "step_up_fewer_sets": _COUNT,
            "step_back_pain_rise": PAIN_RANGE,
            "review_after_weeks": _COUNT,
            "expected_weeks": _COUNT,
            "keep_going_weeks": _COUNT,
        }
    )
    # How gently a first routine starts.
    start: Mapping[str, int] = rule(
        keys={
            "sets_beginner": _COUNT,
            "sets_intermediate": _COUNT,
            "sets_advanced": _COUNT,
            "gentle_max_sets": _COUNT,
            "beginner_max_sets": _COUNT,
            "max_main_exercises": _COUNT,
            "gentle_reps_pct": _PERCENT,
            "gentle_hold_pct": _PERCENT,
            "gentle_aerobic_max_minutes": _SECONDS,
            "cool_down_max_stretches": _COUNT,
        }
    )
    # phase -> target -> muscle ids
    coverage: Mapping[str, Mapping[str, tuple[str, ...]]] = rule(cross="muscle ids")
    # vocabulary -> id -> plain words
    labels: Mapping[str, Mapping[str, str]] = rule(cross="every id of each vocabulary")
    # section -> source ids
    sources: Mapping[str, tuple[str, ...]] = rule(cross="every section cites")
    notes: Mapping[str, str] = rule(cross="one text per section")
    plan_weeks: int = rule(range=(1, 52))  # how many weeks a plan covers
    # Exercise ids a warm-up may use, first choice first.
    warm_up: tuple[str, ...] = rule((), yaml="warm_up.activities", at_least=1, required=True)

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
