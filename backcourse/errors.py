"""The exceptions backcourse raises.

Every error a learner or trainer can cause is a ``BackcourseError``, so a notebook can catch
one type and show its message; programming errors stay ordinary Python exceptions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class BackcourseError(Exception):
    """Base class of every error backcourse raises on purpose."""


class CourseDataError(BackcourseError, ValueError):
    """Course data (a YAML file in course_data/) is missing, malformed or inconsistent.

    The message always names the file, the entry id and the field, and says what was
    expected, so a trainer editing YAML knows exactly where to look.
    """

    def __init__(self, file: str, entry: str | None, field: str | None, problem: str) -> None:
        self.file = file
        self.entry = entry
        self.field = field
        self.problem = problem
        where = file
        if entry is not None:
            where += f", entry '{entry}'"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {problem}")


class ProfileError(BackcourseError, ValueError):
    """A learner's answers (a Profile) are out of range, missing or of the wrong type."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class RedFlagStop(BackcourseError):
    """A red flag was reported, so no routine is built; the advice says where to go."""

    def __init__(self, flags: Iterable[Any], advice: str) -> None:
        self.flags = tuple(flags)
        self.advice = advice
        names = ", ".join(getattr(f, "label", str(f)) for f in self.flags)
        super().__init__(f"No routine: warning signs reported ({names}). {advice}")


class ProgressLogError(BackcourseError):
    """The progress log file cannot be used (damaged, foreign, or not writable)."""
