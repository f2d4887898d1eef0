"""backcourse: the helper package of a Jupyter course on exercise for lower back pain.

The public API is re-exported here. Modules load on first use, so ``import backcourse``
stays light (no YAML parsing, no matplotlib, no ipywidgets until they are needed).

>>> from backcourse import load_course, build_routine, Profile
>>> course = load_course()
>>> routine = build_routine(Profile(pain_now=3, weeks_since_onset=10,
...                                 minutes_per_session=15, sessions_per_week=3), course)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import BackcourseError, CourseDataError, ProfileError, ProgressLogError, RedFlagStop
from .model import (
    Course,
    Dose,
    Exercise,
    Muscle,
    Plan,
    Prescription,
    Profile,
    RedFlag,
    Routine,
    Source,
)

__version__ = "0.1.0"

# name -> module that defines it, imported on first access (PEP 562).
_LAZY = {
    "load_course": "catalog",
    "screen": "safety",
    "ScreenResult": "safety",
    "build_routine": "planner",
    "alternatives": "planner",
    "ProgressLog": "progress",
}

__all__ = [
    "BackcourseError",
    "Course",
    "CourseDataError",
    "Dose",
    "Exercise",
    "Muscle",
    "Plan",
    "Prescription",
    "Profile",
    "ProfileError",
    "ProgressLog",
    "ProgressLogError",
    "RedFlag",
    "RedFlagStop",
    "Routine",
    "ScreenResult",
    "Source",
    "alternatives",
    "build_routine",
    "load_course",
    "screen",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from .catalog import load_course
    from .planner import alternatives, build_routine
    from .progress import ProgressLog
    from .safety import ScreenResult, screen


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'backcourse' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
