"""One day's entry of the progress log and its validation: ranges, types, clear messages.

Every value a learner records goes through ``LogEntry``; a bad one raises ``EntryError``
naming the field and the allowed range. Rows read back from the file go through it too,
so a hand-edited row is reported, never trusted.
"""

from __future__ import annotations

import json
import operator
import reprlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..errors import BackcourseError, ProgressLogError
from ..model import EARLIEST_DAY, LATEST_DAY, day_range_text

# Ranges of what a learner records. They describe the questions (the 0-10 Numeric Pain Rating
# Scale, the 0-10 Patient-Specific Functional Scale), not doses, so they live here.
PAIN_RANGE = (0, 10)
MINUTES_RANGE = (0, 300)
EFFORT_RANGE = (0, 10)
PSFS_SCORE_RANGE = (0, 10)
PSFS_MAX_ACTIVITIES = 3
ACTIVITY_MAX_CHARS = 100
NOTE_MAX_CHARS = 1000


class EntryError(BackcourseError, ValueError):
    """A log entry has a value out of range or of the wrong type; ``field`` names it."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class EntryNotFoundError(ProgressLogError, LookupError):
    """No entry with this id is in the log."""

    def __init__(self, entry_id: object) -> None:
        self.id = entry_id
        super().__init__(f"there is no entry with id {reprlib.repr(entry_id)} in the log")


def short(value: object) -> str:
    """A value for a message, cut short: a message must stay readable whatever was typed."""
    return reprlib.repr(value)


def check_int(name: str, value: object, lo: int, hi: int, scale: str = "") -> int:
    if isinstance(value, bool):
        raise EntryError(
            name, f"expected a whole number from {lo} to {hi}{scale}, got {short(value)}"
        )
    try:
        number = operator.index(value)  # type: ignore[arg-type]  # int, numpy ints
    except TypeError:
        if isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            raise EntryError(
                name, f"expected a whole number from {lo} to {hi}{scale}, got {short(value)}"
            ) from None
    if not lo <= number <= hi:
        raise EntryError(name, f"must be from {lo} to {hi}{scale}, got {number}")
    return number


def check_text(name: str, value: object, max_chars: int) -> str:
    if not isinstance(value, str):
        raise EntryError(name, f"expected text, got {type(value).__name__}")
    if len(value) > max_chars:
        raise EntryError(name, f"must be at most {max_chars} characters, got {len(value)}")
    if "\x00" in value:
        raise EntryError(name, "must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise EntryError(name, "contains characters that cannot be saved as text") from None
    return value


def as_day(name: str, value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise EntryError(name, f"expected a date as YYYY-MM-DD, got {short(value)}")


def check_day(name: str, value: object) -> date:
    """A date within EARLIEST_DAY..LATEST_DAY (model.py says why those)."""
    day = as_day(name, value)
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise EntryError(name, f"must be from {day_range_text()}, got {day.isoformat()}")
    return day


def check_id(entry_id: object) -> int:
    """An entry id as a whole number; one no log can hold is simply not there."""
    if isinstance(entry_id, bool):
        raise EntryNotFoundError(entry_id)
    try:
        number = operator.index(entry_id)  # type: ignore[arg-type]
    except TypeError:
        raise EntryNotFoundError(entry_id) from None
    if not 1 <= number <= 2**63 - 1:  # SQLite's integer range
        raise EntryNotFoundError(entry_id)
    return number


def check_bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):  # how SQLite stores it
        return bool(value)
    raise EntryError(name, f"expected True or False, got {short(value)}")


def check_psfs(value: object) -> tuple[tuple[str, int], ...]:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        value = list(value.items())
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise EntryError(
            "psfs", f"expected up to three (activity, score) pairs, got {short(value)}"
        )
    pairs = list(value)
    if len(pairs) > PSFS_MAX_ACTIVITIES:
        raise EntryError(
            "psfs", f"at most {PSFS_MAX_ACTIVITIES} activities can be scored, got {len(pairs)}"
        )
    out: list[tuple[str, int]] = []
    seen: set[str] = set()
    for n, pair in enumerate(pairs, 1):
        if isinstance(pair, (str, bytes)) or not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise EntryError(
                "psfs", f"activity {n}: expected an (activity, score) pair, got {short(pair)}"
            )
        name, score = pair
        try:
            name = check_text("psfs", name, ACTIVITY_MAX_CHARS).strip()
            score = check_int("psfs", score, *PSFS_SCORE_RANGE)
        except EntryError as exc:
            raise EntryError("psfs", f"activity {n}: {exc.problem}") from None
        if not name:
            raise EntryError("psfs", f"activity {n}: the activity needs a name")
        if name.casefold() in seen:
            raise EntryError("psfs", f"activity {n}: {short(name)} is scored twice")
        seen.add(name.casefold())
        out.append((name, score))
    return tuple(out)


@dataclass(frozen=True)
class LogEntry:
    """One day's record. Validated on creation: bad values raise EntryError naming the field.

    Attributes
    ----------
    id : int or None
        The log's id for the entry; None until it is recorded.
    day : datetime.date
    pain : int
        Pain on the 0-10 Numeric Pain Rating Scale (0 none, 10 worst imaginable).
    exercised : bool
        Whether the learner did their routine that day.
    minutes : int
        Minutes of exercise, 0-300.
    effort : int or None
        How hard the session felt, 0-10, or None when not given.
    psfs : tuple of (str, int)
        Up to three activities the learner finds hard, each scored 0 (unable) to 10 (as
        before the problem): the Patient-Specific Functional Scale.
    note : str
        Free text, up to 1000 characters.
    """

    id: int | None
    day: date
    pain: int
    exercised: bool = False
    minutes: int = 0
    effort: int | None = None
    psfs: tuple[tuple[str, int], ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalise through the back door, once
        if self.id is not None:
            set_(self, "id", check_int("id", self.id, 1, 2**63 - 1))
        set_(self, "day", check_day("day", self.day))
        set_(self, "pain", check_int("pain", self.pain, *PAIN_RANGE, " (0-10 pain scale)"))
        set_(self, "exercised", check_bool("exercised", self.exercised))
        set_(self, "minutes", check_int("minutes", self.minutes, *MINUTES_RANGE))
        if self.effort is not None:
            set_(self, "effort", check_int("effort", self.effort, *EFFORT_RANGE))
        set_(self, "psfs", check_psfs(self.psfs))
        set_(self, "note", check_text("note", self.note, NOTE_MAX_CHARS))

    def _content(self) -> tuple[Any, ...]:
        """Everything but the id: what makes two entries the same record."""
        return (
            self.day,
            self.pain,
            self.exercised,
            self.minutes,
            self.effort,
            self.psfs,
            self.note,
        )


def entry_from_row(row: tuple[Any, ...]) -> LogEntry:
    entry_id, day, pain, exercised, minutes, effort, psfs, note = row
    if isinstance(day, str):
        day = check_day("day", day)
    try:
        pairs = json.loads(psfs) if isinstance(psfs, str) else psfs
    except ValueError:
        raise EntryError("psfs", f"stored value is not readable: {short(psfs)}") from None
    return LogEntry(entry_id, day, pain, exercised, minutes, effort, pairs, note)


def row_params(entry: LogEntry) -> tuple[Any, ...]:
    return (
        entry.day.isoformat(),
        entry.pain,
        int(entry.exercised),
        entry.minutes,
        entry.effort,
        json.dumps([list(p) for p in entry.psfs], ensure_ascii=False),
        entry.note,
    )
