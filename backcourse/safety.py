"""Red-flag screening: the check that comes before any routine.

The course educates; it does not diagnose. Three outcomes, as the NHS pages on back pain
and sciatica give them (tiers and advice in course_data/red_flags.yaml):

* emergency: stop, call 999 or go to A&E now;
* see_doctor: stop, see a GP soon (urgent appointment or NHS 111);
* if_not_better: keep gently active with a gentle routine, and see a GP or physiotherapist
  if it does not get better (for example pain into one leg, sciatica).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .errors import ProfileError
from .model import Course, RedFlag


@dataclass(frozen=True)
class ScreenResult:
    """The outcome of a red-flag screen.

    Attributes
    ----------
    urgent
        Emergency-tier flags answered yes: get help now.
    see_doctor
        See-a-doctor-soon flags answered yes.
    clear
        True when no flag was answered yes.
    advice
        What to do, in plain words (empty when clear).
    if_not_better
        Flags answered yes that allow a gentle routine, with advice to see a GP or
        physiotherapist if it does not get better.
    """

    urgent: tuple[RedFlag, ...]
    see_doctor: tuple[RedFlag, ...]
    clear: bool
    advice: str
    if_not_better: tuple[RedFlag, ...] = ()

    @property
    def flags(self) -> tuple[RedFlag, ...]:
        """Every flag answered yes, most urgent first."""
        return self.urgent + self.see_doctor + self.if_not_better

    @property
    def stops(self) -> bool:
        """True when a flag rules out any routine (the emergency or see-a-doctor tier)."""
        return bool(self.urgent or self.see_doctor)

    @property
    def gentle_only(self) -> bool:
        """True when a routine may be built, but only a gentle one (third tier, no stop)."""
        return bool(self.if_not_better) and not self.stops

    @property
    def tier(self) -> str | None:
        """The most urgent tier answered yes: 'emergency', 'see_doctor', 'if_not_better',
        or None when clear."""
        if self.urgent:
            return "emergency"
        if self.see_doctor:
            return "see_doctor"
        return "if_not_better" if self.if_not_better else None


def screen(answers: Mapping[str, bool] | set[str] | frozenset[str], course: Course) -> ScreenResult:
    """Screen a learner's answers to the red-flag questions.

    Parameters
    ----------
    answers
        ``{flag_id: True/False}`` for the questions answered, or a set of the ids answered
        yes. Unanswered questions count as no.
    course
        The loaded course (its red_flags.yaml defines the questions).

    Raises
    ------
    ProfileError
        For an id that is not a red flag of this course, or an answer that is not yes/no.
        Unknown ids are never ignored: a typo must not hide a warning sign.
    """
    if isinstance(answers, (set, frozenset)):
        answers = {a: True for a in answers}
    if not isinstance(answers, Mapping):
        raise ProfileError(
            "red_flags", f"expected answers by flag id, got {type(answers).__name__}"
        )
    for key, value in answers.items():
        if key not in course.red_flags:
            known = ", ".join(sorted(course.red_flags))
            raise ProfileError("red_flags", f"unknown red flag {key!r}; known flags: {known}")
        if not isinstance(value, bool):
            raise ProfileError(
                f"red_flags.{key}", f"expected yes or no (True/False), got {value!r}"
            )
    yes = [f for fid, f in course.red_flags.items() if answers.get(fid)]
    urgent = tuple(f for f in yes if f.tier == "emergency")
    soon = tuple(f for f in yes if f.tier == "see_doctor")
    later = tuple(f for f in yes if f.tier == "if_not_better")
    return ScreenResult(
        urgent,
        soon,
        clear=not yes,
        advice=advice_for(urgent, soon, course, later),
        if_not_better=later,
    )


def advice_for(
    urgent: tuple[RedFlag, ...],
    soon: tuple[RedFlag, ...],
    course: Course,
    later: tuple[RedFlag, ...] = (),
) -> str:
    """The most urgent tier's advice followed by each flag's own action, most urgent first."""
    if not (urgent or soon or later):
        return ""
    tier = "emergency" if urgent else "see_doctor" if soon else "if_not_better"
    lines = [course.red_flag_tiers[tier]["advice"]]
    lines += [f"{f.label}: {f.action}" for f in urgent + soon + later]
    return "\n".join(lines)
