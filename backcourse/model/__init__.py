"""The course's vocabulary as frozen dataclasses: ``course`` (what course_data/ holds) and
``learner`` (a learner's answers and the routine and plan made for them).

Nothing here reads files; the catalog builds the course objects from course_data/ and every
other module only reads them.
"""

from __future__ import annotations

from .course import (
    CATEGORIES,
    CORE_ROLES,
    EXPERIENCE,
    IMPACTS,
    LAYERS,
    MINUTES_RANGE,
    PAIN_RANGE,
    PHASES,
    POSITIONS,
    RED_FLAG_TIERS,
    SESSIONS_RANGE,
    SOURCE_KINDS,
    WEEKS_RANGE,
    Bounds,
    Choice,
    Course,
    Dose,
    Exercise,
    Fact,
    Guidelines,
    Muscle,
    Quiz,
    RedFlag,
    Source,
    frozen_map,
    rule,
)
from .learner import (
    EARLIEST_DAY,
    LATEST_DAY,
    Plan,
    PlanWeek,
    Prescription,
    Profile,
    Routine,
    day_range_text,
)

__all__ = [
    "CATEGORIES",
    "CORE_ROLES",
    "EARLIEST_DAY",
    "EXPERIENCE",
    "IMPACTS",
    "LATEST_DAY",
    "LAYERS",
    "MINUTES_RANGE",
    "PAIN_RANGE",
    "PHASES",
    "POSITIONS",
    "RED_FLAG_TIERS",
    "SESSIONS_RANGE",
    "SOURCE_KINDS",
    "WEEKS_RANGE",
    "Bounds",
    "Choice",
    "Course",
    "Dose",
    "Exercise",
    "Fact",
    "Guidelines",
    "Muscle",
    "Plan",
    "PlanWeek",
    "Prescription",
    "Profile",
    "Quiz",
    "RedFlag",
    "Routine",
    "Source",
    "day_range_text",
    "frozen_map",
    "rule",
]
