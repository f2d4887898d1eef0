"""Red-flag screening: the check that comes before any routine.

The course educates; it does not diagnose. A yes to any warning sign stops routine building
and says where to go: the emergency tier now, the see-a-doctor tier soon.
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
        True when no flag was answered yes; only then may a routine be built.
    advice
        What to do, in plain words (empty when clear).
    """

    urgent: tuple[RedFlag, ...]
    see_doctor: tuple[RedFlag, ...]
    clear: bool
    advice: str

    @property
    def flags(self) -> tuple[RedFlag, ...]:
        """Every flag answered yes, emergencies first."""
        return self.urgent + self.see_doctor

    @property
    def tier(self) -> str | None:
        """'emergency', 'see_doctor', or None when clear."""
        if self.urgent:
            return "emergency"
        return "see_doctor" if self.see_doctor else None


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
    return ScreenResult(urgent, soon, clear=not yes, advice=advice_for(urgent, soon, course))


def advice_for(urgent: tuple[RedFlag, ...], soon: tuple[RedFlag, ...], course: Course) -> str:
    """The tier's advice followed by each flag's own action, most urgent first."""
    if not urgent and not soon:
        return ""
    tier = "emergency" if urgent else "see_doctor"
    lines = [course.red_flag_tiers[tier]["advice"]]
    lines += [f"{f.label}: {f.action}" for f in urgent + soon]
    return "\n".join(lines)
