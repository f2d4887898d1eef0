"""A class roster: the trainer's CSV read into participants, referrals and skipped rows.

A trainer lists the class in a CSV file, one row per person (a name or a code, then the
answers a learner gives the routine builder). Whoever reports a warning sign is kept out
of the group and listed with the advice to see a doctor. Rows that cannot be read are
reported by line number and skipped; the other rows still get their session.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import ProfileError
from ..model import Course, Profile, RedFlag
from ..planner import check_profile
from ..safety import screen

#: The columns a roster must have, in the order a template lists them.
ROSTER_COLUMNS: tuple[str, ...] = (
    "name_or_code",
    "pain_now",
    "weeks_since_onset",
    "minutes_per_session",
    "sessions_per_week",
    "positions",
    "equipment",
    "experience",
    "red_flags",
)
_NUMBERS = ("pain_now", "weeks_since_onset", "minutes_per_session", "sessions_per_week")
_LIST_SPLIT = re.compile(r"[;,|]")
_NONE_WORDS = frozenset({"", "none", "no", "-"})


@dataclass(frozen=True)
class RosterProblem:
    """A roster row that was skipped, and why (``line`` counts the header as line 1)."""

    line: int
    name: str  # the row's name_or_code when it could be read, else ""
    reason: str

    def __str__(self) -> str:
        who = f" ({self.name})" if self.name else ""
        return f"line {self.line}{who}: {self.reason}"


@dataclass(frozen=True)
class Participant:
    """A person in the group: their roster line, name or code, and answers."""

    line: int
    name: str
    profile: Profile


@dataclass(frozen=True)
class Referral:
    """A person who reported a warning sign: no exercises, only the advice to get checked."""

    line: int
    name: str
    flags: tuple[RedFlag, ...]
    advice: str

    @property
    def urgent(self) -> bool:
        """True when a flag is in the emergency tier."""
        return any(f.tier == "emergency" for f in self.flags)


@dataclass(frozen=True)
class Roster:
    """A roster, read: the group, the people referred to a doctor, and the rows skipped."""

    participants: tuple[Participant, ...]
    referrals: tuple[Referral, ...]
    problems: tuple[RosterProblem, ...]


def roster_template() -> str:
    """An empty roster: the header row a trainer fills in, as CSV text."""
    return ",".join(ROSTER_COLUMNS) + "\n"


def read_roster(path: str | os.PathLike[str], course: Course | None = None) -> Roster:
    """Read a roster CSV file (UTF-8, or a spreadsheet's Windows encoding). See ``parse_roster``."""
    return parse_roster(Path(path).read_bytes(), course)


def parse_roster(data: str | bytes, course: Course | None = None) -> Roster:
    """Read a roster from CSV text.

    The header names the columns in ``ROSTER_COLUMNS`` (any order; other columns are
    ignored). Lists (positions, equipment, red_flags) are separated by ``;``. An empty
    equipment or red_flags cell means none; an empty experience cell means beginner.

    Parameters
    ----------
    data
        The CSV as text, or as bytes from a file or an upload.
    course
        The loaded course (equipment and red-flag ids are checked against it).

    Returns
    -------
    Roster
        Every row lands in exactly one place: a participant, a referral (any known red flag,
        whatever else the row says), or a problem naming its line and the reason.
    """
    course = course_or_bundled(course)
    text = _decode(data) if isinstance(data, bytes) else data
    rows = csv.reader(io.StringIO(text))
    try:
        header = next(rows)
    except StopIteration:
        return Roster((), (), (RosterProblem(1, "", "the file is empty; expected a header row"),))
    except csv.Error as exc:
        return Roster((), (), (RosterProblem(1, "", f"the header cannot be read: {exc}"),))
    columns = [h.strip().lower() for h in header]
    missing = [c for c in ROSTER_COLUMNS if c not in columns]
    if missing:
        reason = (
            f"the header lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; a roster needs {', '.join(ROSTER_COLUMNS)}"
        )
        return Roster((), (), (RosterProblem(1, "", reason),))
    where = {c: columns.index(c) for c in ROSTER_COLUMNS}
    people: list[Participant] = []
    referrals: list[Referral] = []
    problems: list[RosterProblem] = []
    seen: dict[str, int] = {}
    line = rows.line_num + 1
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(RosterProblem(line, "", f"cannot be read as CSV: {exc}"))
            line = rows.line_num + 1
            continue
        this, line = line, rows.line_num + 1
        if not any(c.strip() for c in cells):
            continue  # blank lines and rows of empty cells carry nobody
        name = cells[where["name_or_code"]].strip() if len(cells) > where["name_or_code"] else ""
        # One spelling per name: "é" typed as one character (NFC) or as e + accent (NFD, as
        # macOS files often hold it) is the same person.
        name = unicodedata.normalize("NFC", name)
        key = _name_key(name)
        try:
            row = _row(cells, columns, where)
            if not name:
                raise ProfileError("name_or_code", "is empty; give a name or a code")
            flags = _ids(row["red_flags"], course.red_flags, "red_flags")
            # Emergency and see-a-doctor signs: no exercises. The third tier (see a GP if it
            # does not get better) joins the class, which then keeps the session gentle.
            if flags and screen(flags, course).stops:
                result = screen(flags, course)
                referrals.append(Referral(this, name, result.flags, result.advice))
                continue
            if key in seen:
                raise ProfileError("name_or_code", f"{name!r} is already used on line {seen[key]}")
            profile = replace(_profile(row), red_flags=frozenset(flags))
            check_profile(profile, course)
        except ProfileError as exc:
            problems.append(RosterProblem(this, name, str(exc)))
            continue
        seen[key] = this
        people.append(Participant(this, name, profile))
    return Roster(tuple(people), tuple(referrals), tuple(problems))


def _name_key(name: str) -> str:
    """What makes two roster names the same: case and Unicode spelling ignored."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def course_or_bundled(course: Course | None) -> Course:
    """The course given, or the bundled one (loaded lazily)."""
    if course is None:
        from ..catalog import load_course

        course = load_course()
    return course


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class _RowError(ProfileError):
    """A row whose shape is wrong: its message needs no field name in front."""

    def __init__(self, problem: str) -> None:
        super().__init__("row", problem)

    def __str__(self) -> str:
        return self.problem


def _row(cells: list[str], columns: list[str], where: Mapping[str, int]) -> dict[str, str]:
    if len(cells) < len(columns):
        lacking = [c for c in ROSTER_COLUMNS if where[c] >= len(cells)]
        raise _RowError(
            f"the row has {len(cells)} values but the header has {len(columns)} columns "
            f"(no value for {', '.join(lacking) or 'the last column'})"
        )
    if len(cells) > len(columns):
        raise _RowError(
            f"the row has {len(cells)} values but the header has {len(columns)} columns; "
            "a value that contains a comma needs quotes"
        )
    return {c: cells[i].strip() for c, i in where.items()}


def _ids(cell: str, known: Iterable[str] | None, name: str) -> frozenset[str]:
    """A ';'-separated cell as ids: 'Side lying; STANDING' -> {'side_lying', 'standing'}."""
    if cell.strip().lower() in _NONE_WORDS:
        return frozenset()
    ids = frozenset(
        re.sub(r"[\s-]+", "_", part.strip().lower()) for part in _LIST_SPLIT.split(cell)
    ) - {""}
    if known is not None:
        unknown = sorted(ids - set(known))
        if unknown:
            raise ProfileError(
                name, f"unknown {', '.join(unknown)}; known ids are {', '.join(known)}"
            )
    return ids


def _profile(row: Mapping[str, str]) -> Profile:
    values: dict[str, object] = {}
    for key in _NUMBERS:
        raw = row[key]
        if not raw:
            raise ProfileError(key, "is empty")
        try:
            values[key] = int(raw)
        except ValueError:
            try:
                values[key] = float(raw)  # '4.0' is fine; Profile rejects '4.5'
            except ValueError:
                values[key] = raw  # Profile names the field and the range
    return Profile(
        **values,  # type: ignore[arg-type]
        positions=_ids(row["positions"], None, "positions"),
        equipment=_ids(row["equipment"], None, "equipment"),
        experience=row["experience"].lower() or "beginner",
    )
