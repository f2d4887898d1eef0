"""The handout model: what every format says, as plain (unescaped) text.

:func:`handout` gathers a routine's facts, safety words, one :class:`Card` per exercise,
the plan week by week and the sources; each writer (HTML, Markdown, PDF) escapes it for
its own format.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import POSITIONS, Course, Prescription, Routine
from .text import clean_name

__all__ = [
    "Card",
    "Handout",
    "WeekRow",
    "card_for",
    "handout",
    "phase_label",
]


@dataclass(frozen=True)
class Card:
    """One exercise of a handout, as plain (unescaped) text."""

    number: int
    item: Prescription
    phase: str
    phase_label: str
    name: str
    dose: str
    minutes: float
    reason: str
    summary: str
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    muscles: str
    caution: str


@dataclass(frozen=True)
class WeekRow:
    """One week of the plan: session minutes, what changes, the doses that week."""

    week: int
    minutes: float
    changes: tuple[str, ...]
    items: tuple[Prescription, ...]


@dataclass(frozen=True)
class Handout:
    """Everything a handout says, as plain text; the writers escape it for their format."""

    title: str
    name: str
    facts: tuple[tuple[str, str], ...]  # (label, value) lines about the routine
    notes: tuple[str, ...]
    safety: tuple[str, ...]
    disclaimer: str  # guidelines.yaml notes.handout_disclaimer ("" if a course leaves it out)
    cards: tuple[Card, ...]
    weeks: tuple[WeekRow, ...]
    progression: str
    sources: tuple[str, ...]
    sessions_per_week: int


def phase_label(course: Course, phase: str) -> str:
    """The phase's label from guidelines.yaml, capitalised ("Warm-up", "Main block")."""
    words = course.guidelines.label("phases", phase)
    return words[:1].upper() + words[1:]


def _muscle_names(course: Course, ids: Iterable[str]) -> str:
    names = []
    for m in ids:
        muscle = course.muscles.get(m)
        names.append(muscle.plain_name if muscle else m.replace("_", " "))
    return ", ".join(names)


def card_for(item: Prescription, number: int, course: Course) -> Card:
    """The handout card of one prescription."""
    ex = item.exercise
    return Card(
        number=number,
        item=item,
        phase=item.phase,
        phase_label=phase_label(course, item.phase),
        name=ex.name,
        dose=item.dose_text(),
        minutes=item.minutes,
        reason=item.reason,
        summary=ex.summary,
        steps=tuple(ex.steps),
        cues=tuple(ex.cues),
        muscles=_muscle_names(course, ex.muscles),
        caution=ex.caution,
    )


def _plain_list(words: Sequence[str]) -> str:
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def handout(routine: Routine, name: object = "", weeks: int | None = None) -> Handout:
    """The content every format shares: facts, safety, one card per exercise, the plan."""
    course, profile = routine.course, routine.profile
    g = course.guidelines
    plan = routine.plan(weeks)
    positions = [g.label("positions", p) for p in POSITIONS if p in profile.positions]
    equipment = [g.label("equipment", e) for e in sorted(profile.equipment)] or ["none"]
    facts = (
        ("Session", f"about {round(routine.minutes)} minutes, {len(routine.items)} exercises"),
        ("How often", f"{profile.sessions_per_week} times a week"),
        ("Pain when built", f"{profile.pain_now} out of 10"),
        ("Stage", g.label("stages", routine.stage)),
        ("Experience", g.label("experience", profile.experience)),
        ("Positions", _plain_list(positions)),
        ("Equipment", _plain_list(equipment)),
    )
    safety = [plan.step_back]
    with contextlib.suppress(KeyError):  # a trainer's course may leave this fact out
        safety.insert(0, course.fact("guidance", "stop_rule").text)
    ids: list[str] = []
    for p in routine.items:
        ids += [s for s in p.exercise.sources if s not in ids]
    for section in ("dose_bounds", "progression"):
        ids += [s for s in g.sources.get(section, ()) if s not in ids]
    sources = tuple(course.sources[s].citation() for s in ids if s in course.sources)
    return Handout(
        title="Your back exercise routine",
        name=clean_name(name),
        facts=facts,
        notes=tuple(routine.notes),
        safety=tuple(safety),
        disclaimer=g.notes.get("handout_disclaimer", ""),
        cards=tuple(card_for(p, i + 1, course) for i, p in enumerate(routine.items)),
        weeks=tuple(WeekRow(w.week, w.minutes, w.changes, w.items) for w in plan.weeks),
        progression=g.notes.get("progression", ""),
        sources=sources,
        sessions_per_week=profile.sessions_per_week,
    )
