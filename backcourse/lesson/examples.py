"""The made-up learners of the worked examples (facts.yaml, ``example_learners``)."""

from __future__ import annotations

from ..errors import BackcourseError, CourseDataError
from ..model import Course, Profile
from .blocks import course_or_bundled


def example_learner(course: Course | None, learner_id: str) -> Profile:
    """A made-up learner's answers for the worked examples (facts.yaml, example_learners)."""
    course = course_or_bundled(course)
    try:
        fact = course.fact("example_learners", learner_id)
    except KeyError:
        raise CourseDataError(
            "facts.yaml", f"example_learners/{learner_id}", None, "no such example learner"
        ) from None
    answers = dict(fact.data.get("profile") or {})
    if not answers:
        raise CourseDataError(
            "facts.yaml", f"example_learners/{learner_id}", "profile", "expected the answers"
        )
    for key in ("equipment", "positions", "red_flags"):
        if key in answers:
            answers[key] = frozenset(answers[key])
    try:
        return Profile(**answers)
    except (TypeError, BackcourseError) as exc:
        raise CourseDataError(
            "facts.yaml", f"example_learners/{learner_id}", "profile", str(exc)
        ) from None
